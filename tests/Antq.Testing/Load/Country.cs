using System.Text.Json;

namespace Antq.Testing.Load;

/// <summary>A commune of a unit list, with the units above it (province, and district in the three-tier list).</summary>
public sealed record Commune(string Code, string Province, string? District);

/// <summary>The communes of the real unit lists in ../shared/data/dvhc, read straight from the files the platform imports.</summary>
public static class Country
{
    public static string TwoTierFile => TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json");

    public static string ThreeTierFile => TestEnvironment.SharedFile("data", "dvhc", "units-2025-06-three-tier.json");

    public static string MergesFile => TestEnvironment.SharedFile("data", "dvhc", "merges-2025.json");

    /// <summary>34 provinces, 3,321 communes (from 1 July 2025).</summary>
    public static IReadOnlyList<Commune> TwoTier()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TwoTierFile));
        return [.. doc.RootElement.EnumerateArray().SelectMany(p => p.GetProperty("Wards").EnumerateArray()
            .Select(w => new Commune(w.GetProperty("Code").GetString()!, p.GetProperty("Code").GetString()!, null)))];
    }

    /// <summary>63 provinces, 696 districts, 10,035 communes (until 30 June 2025).</summary>
    public static IReadOnlyList<Commune> ThreeTier()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(ThreeTierFile));
        // A district without communes (an island district) has "Ward": null.
        static IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];
        return [.. doc.RootElement.EnumerateArray().SelectMany(p => Items(p, "District")
            .SelectMany(d => Items(d, "Ward")
                .Select(w => new Commune(w.GetProperty("Code").GetString()!, p.GetProperty("Code").GetString()!, d.GetProperty("Code").GetString()!))))];
    }

    /// <summary>A fixed shuffle (the same for every run), so that load is spread over the provinces instead of one after another.</summary>
    public static List<T> Shuffled<T>(IEnumerable<T> items, int seed = 2026)
    {
        var list = items.ToList();
        var random = new Random(seed);
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
