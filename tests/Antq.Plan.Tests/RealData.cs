using Antq.Plan.Api.Lineage;
using Antq.Plan.Api.Units;
using Antq.Testing;

namespace Antq.Plan.Tests;

/// <summary>The real lists of ../shared/data/dvhc, parsed and turned into versions in memory as an import would.</summary>
public static class RealData
{
    public static string ThreeTierPath => TestEnvironment.SharedFile("data", "dvhc", "units-2025-06-three-tier.json");
    public static string TwoTierPath => TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json");
    public static string MergesPath => TestEnvironment.SharedFile("data", "dvhc", "merges-2025.json");

    static readonly Lazy<UnitFile> threeTier = new(() => DvhcFileParser.Parse(File.ReadAllBytes(ThreeTierPath)));
    static readonly Lazy<UnitFile> twoTier = new(() => DvhcFileParser.Parse(File.ReadAllBytes(TwoTierPath)));
    static readonly Lazy<IReadOnlyList<MergeLine>> merges = new(() => MergeLine.ParseFile(File.ReadAllBytes(MergesPath)));

    public static UnitFile ThreeTier => threeTier.Value;
    public static UnitFile TwoTier => twoTier.Value;
    public static IReadOnlyList<MergeLine> Merges => merges.Value;

    public static List<OrgUnit> Versions(UnitFile file, DateOnly from) =>
        UnitImportPlan.Build(file, from, [], new Dictionary<string, DateOnly>()).ToCreate;

    static readonly Lazy<List<OrgUnit>> oldUnits = new(() => Versions(ThreeTier, new DateOnly(2020, 1, 1)));
    static readonly Lazy<List<OrgUnit>> newUnits = new(() => Versions(TwoTier, UnitFile.ReformDate));
    static readonly Lazy<LineageResult> lineage = new(() => LineageResolver.Resolve(Merges, OldUnits, NewUnits));

    /// <summary>The three-tier list as versions (one id each, the same for every test).</summary>
    public static List<OrgUnit> OldUnits => oldUnits.Value;

    public static List<OrgUnit> NewUnits => newUnits.Value;

    public static LineageResult Lineage => lineage.Value;
}
