using System.Text.Json;
using Antq.Classification.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Antq.Classification.IntegrationTests;

/// <summary>
/// The default commune sheet worked out by hand, independently of the service's code: TC3 full 15 when at least one
/// self-management model is effective, TC4 20 × PCT_KDC_SAFE / 80 capped, TC5 10 × PCT_MEDIATION_SUCCESS / 90 capped,
/// the rest scored by the province; Xuất sắc ≥ 90, Khá ≥ 70, Trung bình ≥ 50; DK1 keeps a unit at Trung bình at best.
/// </summary>
public static class Expected
{
    public static readonly string[] HandCriteria = ["TC1", "TC2", "TC6", "TC7"];
    public static readonly Dictionary<string, decimal> Max = new() { ["TC1"] = 10, ["TC2"] = 15, ["TC6"] = 20, ["TC7"] = 10 };

    static decimal R(decimal x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);

    public static (decimal Tc3, decimal Tc4, decimal Tc5) Computed(IReadOnlyDictionary<string, decimal> values) => (
        values["MODELS_EFFECTIVE"] >= 1 ? 15 : 0,
        R(20 * Math.Min(values["PCT_KDC_SAFE"] / 80, 1)),
        R(10 * Math.Min(values["PCT_MEDIATION_SUCCESS"] / 90, 1)));

    public static decimal Total(IReadOnlyDictionary<string, decimal> approved, IReadOnlyDictionary<string, decimal> values)
    {
        var (a, b, c) = Computed(values);
        return R(approved.Values.Sum() + a + b + c);
    }

    public static string Class(decimal total, bool disqualified)
    {
        var byScore = total >= 90 ? "XuatSac" : total >= 70 ? "Kha" : total >= 50 ? "TrungBinh" : "Yeu";
        return disqualified && byScore is "XuatSac" or "Kha" ? "TrungBinh" : byScore;
    }

    /// <summary>An accepted annual report of a commune, with the ratios Reporting computes (KDC_SAFE / KDC_TOTAL × 100…).</summary>
    public static Dictionary<string, decimal> Report(Random random)
    {
        var kdcTotal = random.Next(5, 31);
        var kdcSafe = random.Next(kdcTotal / 2, kdcTotal + 1);
        var orgTotal = random.Next(0, 11);
        var orgSafe = random.Next(0, orgTotal + 1);
        var cases = random.Next(1, 21);
        var success = random.Next(cases / 2, cases + 1);
        return new Dictionary<string, decimal>
        {
            ["KDC_TOTAL"] = kdcTotal, ["KDC_SAFE"] = kdcSafe, ["PCT_KDC_SAFE"] = Math.Round((decimal)kdcSafe / kdcTotal * 100, 4),
            ["ORG_TOTAL"] = orgTotal, ["ORG_SAFE"] = orgSafe,
            ["MODELS_ACTIVE"] = random.Next(0, 4), ["MODELS_EFFECTIVE"] = random.Next(0, 3),
            ["MEDIATION_CASES"] = cases, ["MEDIATION_SUCCESS"] = success, ["PCT_MEDIATION_SUCCESS"] = Math.Round((decimal)success / cases * 100, 4),
        };
    }

    /// <summary>Hand scores in half points, mostly high so that every class occurs.</summary>
    public static Dictionary<string, decimal> Scores(Random random) =>
        HandCriteria.ToDictionary(c => c, c => Math.Round(Max[c] * (decimal)(0.35 + 0.65 * random.NextDouble()) * 2, MidpointRounding.ToZero) / 2);

    /// <summary>The bodies of the messages of a type left in the outbox for one unit, oldest first.</summary>
    public static async Task<List<JsonElement>> OutboxAsync(ClassificationDbContext db, string type, string orgUnitCode)
    {
        var rows = await db.Set<Antq.Messaging.OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith("Antq.Contracts.Classification." + type + ",")).OrderBy(m => m.Id).ToListAsync();
        return [.. rows.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())
            .Where(b => b.GetProperty("orgUnitCode").GetString() == orgUnitCode)];
    }
}
