using System.Net.Http.Json;
using System.Text.Json;
using Antq.Testing;

namespace Antq.Journeys;

/// <summary>
/// Lai Châu (38 communes of the two-tier list) in November 2026: the province plan for 2026 is issued with the annual
/// deadline (before 15/12/2026) and two targets, and its officer PV01 has an account. Every journey of this class works
/// on communes of its own, so that none depends on another; the clock only moves forward, never past the deadline.
/// </summary>
public class OpenSeason() : JourneyPlatform(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(7)))
{
    public const string Province = "12";
    public const string Period = "2026-Y";
    public const int Year = 2026;
    public const string DueOn = "2026-12-15";
    public const string Pv01 = "pv01.laichau";

    public IReadOnlyList<(string Code, string Name)> Communes { get; private set; } = [];
    public HttpClient Province01 { get; private set; } = null!;
    public string PlanId { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var province = await ImportProvinceAsync("units-2026-07-two-tier.json", Province, "2025-07-01");
        Communes = [.. province["Wards"]!.AsArray().Select(w => ((string)w!["Code"]!, (string)w["FullName"]!))];
        Province01 = await UserAsync(Pv01, "ProvinceOfficer", Province, "Trần Thị Bình");
        await ContactAsync(Province, Pv01);

        var plan = await Season.PostAsync(Admin, "api/plans", new
        {
            number = "15/KH-CAT-PV01",
            title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
            issuedOn = "2026-01-15",
            issuerCode = Province,
            year = Year,
            deadlines = new Dictionary<string, string> { [Period] = DueOn },
            targets = new[]
            {
                new { indicator = "PCT_KHA_TRO_LEN", comparator = ">=", value = 70m, scope = "subtree" },
                new { indicator = "PCT_KDC_SAFE", comparator = ">=", value = 60m, scope = "subtree" },
            },
        });
        PlanId = plan.GetProperty("id").GetString()!;
        await Season.PostAsync(Admin, $"api/plans/{PlanId}/issue", null);

        // Reporting learns the deadlines through the broker.
        await Eventually.UntilAsync(async () =>
        {
            using var board = await Province01.GetAsync($"api/rollups/{Province}/{Period}/children");
            if (!board.IsSuccessStatusCode) return false;
            var rows = (await board.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("children");
            return rows.GetArrayLength() == Communes.Count && rows.EnumerateArray().All(r => r.GetProperty("dueAt").ValueKind == JsonValueKind.String);
        }, TimeSpan.FromSeconds(90), "Reporting's board shows every commune of Lai Châu with its deadline");
    }

    /// <summary>A commune officer's account for the commune at <paramref name="index"/>.</summary>
    public async Task<(string Code, string Name, string User, HttpClient Client)> CommuneAsync(int index)
    {
        var (code, name) = Communes[index];
        var user = $"xa{index}.laichau";
        var client = await UserAsync(user, "CommuneOfficer", code, $"Cán bộ {name}");
        await ContactAsync(code, user);
        return (code, name, user, client);
    }
}

[CollectionDefinition(Name)]
public sealed class OpenSeasonCollection : ICollectionFixture<OpenSeason>
{
    public const string Name = "open season";
}
