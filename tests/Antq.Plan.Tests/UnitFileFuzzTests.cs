using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Antq.Plan.Api.Lineage;
using Antq.Plan.Api.Units;
using Antq.Testing;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Antq.Plan.Tests;

/// <summary>
/// Fuzzing of the unit-list readers (docs/security.md, "Fuzzing") from the real files: the CSV of units below the
/// communes (<see cref="CsvUnitParser"/>, the demo list of deploy/demo), the dvhc lists of three and two tiers
/// (<see cref="DvhcFileParser"/>) and the merge list (<see cref="MergeLine.ParseFile"/>) of ../shared/data/dvhc, the
/// last three cut to their first provinces or lines so that each input reads in milliseconds. For every mutation:
/// a list, or the refusal the API turns into its 400 or 413 (<see cref="UnitFileException"/>), and never more than
/// <see cref="Bound"/>.
/// </summary>
public sealed class UnitFileFuzzTests(ITestOutputHelper output)
{
    static readonly TimeSpan Brief = TimeSpan.FromSeconds(3);

    /// <summary>Generous for inputs of a few hundred kilobytes at most; a quadratic step on them goes far past it.</summary>
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    static readonly byte[] Csv = File.ReadAllBytes(Path.Combine(TestEnvironment.Root, "deploy", "demo", "units-demo.csv"));

    /// <summary>The same units as Excel on a Vietnamese Windows writes them: BOM, ';', CRLF, quoted fields.</summary>
    static readonly byte[] ExcelCsv = CsvUnitFileTests.ExcelCsvUtf8("14758");

    static readonly byte[] ThreeTier = FirstOf(RealData.ThreeTierPath, 2);
    static readonly byte[] TwoTier = FirstOf(RealData.TwoTierPath, 3);
    static readonly byte[] Merges = FirstOf(RealData.MergesPath, 40);

    /// <summary>The first <paramref name="count"/> entries of a real JSON list: real shapes and values, small enough to fuzz fast.</summary>
    static byte[] FirstOf(string path, int count)
    {
        var all = JsonNode.Parse(File.ReadAllBytes(path))!.AsArray();
        var first = new JsonArray([.. all.Take(count).Select(n => n!.DeepClone())]);
        return Encoding.UTF8.GetBytes(first.ToJsonString());
    }

    public sealed record FuzzedFile(int Seed, Mutation[] Mutations)
    {
        public override string ToString() => $"seed file {Seed}: [{string.Join(", ", Mutations.Select(m => m.ToString()))}]";
    }

    static Gen<FuzzedFile> Files(params byte[][] seeds) =>
        from seed in Gen.Choose(0, seeds.Length - 1)
        from mutations in Fuzzing.Mutations(seeds.Max(s => s.Length))
        select new FuzzedFile(seed, mutations);

    /// <summary>Reads each mutated file: a result or the documented refusal, within the bound; counts the outcomes.</summary>
    (int Tried, int Read, int Refused) Fuzz<T>(byte[][] seeds, Func<byte[], T> read, string what)
    {
        var (accepted, refused) = (0, 0);
        var tried = Fuzzing.Run(Files(seeds), file =>
        {
            var bytes = Fuzzing.Apply(seeds[file.Seed], file.Mutations);
            var clock = Stopwatch.StartNew();
            try
            {
                read(bytes);
                accepted++;
            }
            catch (UnitFileException refusal)
            {
                Assert.NotEmpty(refusal.Message);
                refused++;
            }

            Assert.True(clock.Elapsed < Bound, $"{what}, {file}: {clock.Elapsed}");
        }, Brief);
        output.WriteLine($"{what}: {tried} mutated files, {accepted} read, {refused} refused");
        Assert.True(refused > 0, $"{what}: no mutation was refused");
        return (tried, accepted, refused);
    }

    [Fact]
    public void A_mutated_csv_unit_list_is_read_or_refused_within_the_bound() =>
        Fuzz([Csv, ExcelCsv], bytes => CsvUnitParser.Parse(bytes, new UnitFileLimits()), "CSV");

    [Fact]
    public void A_mutated_dvhc_list_is_read_or_refused_within_the_bound() =>
        Fuzz([ThreeTier, TwoTier], bytes => DvhcFileParser.Parse(bytes), "dvhc");

    [Fact]
    public void A_mutated_merge_list_is_read_or_refused_within_the_bound() =>
        Fuzz([Merges], bytes => MergeLine.ParseFile(bytes), "merges");

    /// <summary>Found by the fuzzing: a byte that is not UTF-8 inside a name threw from JsonElement.GetString (a 500).</summary>
    [Fact]
    public void A_dvhc_list_with_a_byte_that_is_not_utf8_inside_a_name_is_refused()
    {
        var bytes = (byte[])TwoTier.Clone();
        var name = bytes.AsSpan().IndexOf("\"FullName\":\""u8);
        Assert.True(name >= 0);
        bytes[name + 13] = 0xB9;

        var refusal = Assert.Throws<UnitFileException>(() => DvhcFileParser.Parse(bytes));

        Assert.Contains("UTF-8", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_seeds_themselves_are_read()
    {
        Assert.NotEmpty(CsvUnitParser.Parse(Csv).Units);
        Assert.NotEmpty(CsvUnitParser.Parse(ExcelCsv).Units);
        Assert.Equal(UnitFileFormat.ThreeTier, DvhcFileParser.Parse(ThreeTier).Format);
        Assert.Equal(UnitFileFormat.TwoTier, DvhcFileParser.Parse(TwoTier).Format);
        Assert.Equal(40, MergeLine.ParseFile(Merges).Count);
    }
}
