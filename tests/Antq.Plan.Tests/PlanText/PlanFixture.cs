using System.Text.Json;
using Antq.Plan.Api.PlanText;
using Antq.Testing;

namespace Antq.Plan.Tests.PlanText;

/// <summary>A real plan of ../shared/data/plans, its text, what the reader made of it, and what it should have.</summary>
public sealed class PlanFixture
{
    PlanFixture(string name)
    {
        Name = name;
        Text = File.ReadAllText(TestEnvironment.SharedFile("data", "plans", name + ".txt"));
        Expected = JsonDocument.Parse(File.ReadAllText(TestEnvironment.SharedFile("data", "plans", name + ".expected.json"))).RootElement;
        Draft = PlanTextReader.Read(Text, IndicatorCatalogue.Default);
    }

    public const string TuyenQuang2022 = "2022-tuyen-quang-province";
    public const string MinhTien2023 = "2023-minh-tien-commune";
    public const string BinhThuan2024 = "2024-binh-thuan-province";

    public static readonly string[] Names = [TuyenQuang2022, MinhTien2023, BinhThuan2024];

    public static TheoryData<string> All => [.. Names];

    static readonly Dictionary<string, PlanFixture> cache = [];

    public static PlanFixture Of(string name)
    {
        lock (cache)
        {
            if (!cache.TryGetValue(name, out var fixture)) cache[name] = fixture = new PlanFixture(name);
            return fixture;
        }
    }

    public string Name { get; }

    public string Text { get; }

    public JsonElement Expected { get; }

    public PlanDraft Draft { get; }

    public string? ExpectedString(string field) =>
        Expected.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public DateOnly? ExpectedDate(string field) => ExpectedString(field) is { } text ? DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}
