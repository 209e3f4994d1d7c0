using System.Diagnostics;
using System.IO.Compression;
using Antq.Testing;
using Antq.UnitTree;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Antq.Reporting.Tests;

/// <summary>
/// Fuzzing of the Excel form reader (<see cref="Xlsx"/>, <see cref="ReportTemplate.Read"/>) from the real form the
/// service hands out: its zip's bytes mutated, one of its XML parts mutated and zipped again, or a part dropped,
/// renamed or doubled (docs/security.md, "Fuzzing"). Whatever comes, the reader answers cells or its refusal
/// (<see cref="XlsxFormatException"/>), the form reader answers a form (its errors say what is wrong) and never
/// throws, and both stay within the reader's time bound.
/// </summary>
public sealed class XlsxFuzzTests(ITestOutputHelper output)
{
    static readonly Catalogue Catalogue = Catalogues.Default;
    static readonly ReportingPeriod Period = new(2026, PeriodKind.Y);
    static readonly TimeSpan Brief = TimeSpan.FromSeconds(4);

    static PeriodUnit Commune() => new(Period, new DateOnly(2026, 12, 14),
        new UnitTreeVersion { Code = "00004", Name = "Phường Ba Đình", Kind = "Commune", ParentCode = "01" },
        [new UnitTreeVersion { Code = "01", Name = "Thành phố Hà Nội", Kind = "Province", ParentCode = "BCA" }]);

    static readonly byte[] Form = ReportTemplate.Write(Catalogue, Commune(), null, DateTimeOffset.UtcNow);

    static readonly string[] Parts = PartNames(Form);

    /// <summary>The reader's own time bound, and a second for a loaded machine's scheduling.</summary>
    static readonly TimeSpan Bound = ReportTemplate.LimitsFor(Catalogue).MaxTime + TimeSpan.FromSeconds(1);

    public enum Level { Zip, Part, Structure }

    public sealed record FuzzedForm(Level Level, int Part, Mutation[] Mutations)
    {
        public byte[] Bytes() => Level switch
        {
            Level.Zip => Fuzzing.Apply(Form, Mutations),
            Level.Part => Rezip(Form, (name, bytes) => name == Parts[Part % Parts.Length] ? [(name, Fuzzing.Apply(bytes, Mutations))] : [(name, bytes)]),
            _ => Restructure(Mutations[0].Value % 3, Parts[Part % Parts.Length]),
        };

        public override string ToString() => $"{Level} {Parts[Part % Parts.Length]} [{string.Join(", ", Mutations.Select(m => m.ToString()))}]";
    }

    static Gen<FuzzedForm> Forms() =>
        from level in Gen.Frequency((3, Gen.Constant(Level.Zip)), (6, Gen.Constant(Level.Part)), (1, Gen.Constant(Level.Structure)))
        from part in Gen.Choose(0, Parts.Length - 1)
        from mutations in Fuzzing.Mutations(level == Level.Zip ? Form.Length : 64 * 1024)
        select new FuzzedForm(level, part, mutations);

    [Fact]
    public void A_mutated_form_is_read_or_refused_by_the_xlsx_reader_within_its_time_bound()
    {
        var refused = 0;
        var read = 0;
        var tried = Fuzzing.Run(Forms(), form =>
        {
            var bytes = form.Bytes();
            var clock = Stopwatch.StartNew();
            try
            {
                Xlsx.ReadFirstSheet(new MemoryStream(bytes), ReportTemplate.LimitsFor(Catalogue));
                read++;
            }
            catch (XlsxFormatException)
            {
                refused++;
            }

            Assert.True(clock.Elapsed < Bound, $"{form} took {clock.Elapsed}");
        }, Brief);

        output.WriteLine($"{tried} mutated forms: {read} read, {refused} refused");
        Assert.True(refused > 0 && read > 0, $"the mutations never reached one of the outcomes ({read} read, {refused} refused)");
    }

    [Fact]
    public void A_mutated_form_upload_always_gets_a_form_with_its_errors_and_never_an_exception()
    {
        var withErrors = 0;
        var tried = Fuzzing.Run(Forms(), form =>
        {
            var bytes = form.Bytes();
            var clock = Stopwatch.StartNew();
            var read = ReportTemplate.Read(new MemoryStream(bytes), Catalogue, Commune());
            Assert.True(clock.Elapsed < Bound, $"{form} took {clock.Elapsed}");
            if (read.Errors.Count > 0) withErrors++;
            // Every error is a message for the user, in Vietnamese, never an exception's text.
            Assert.All(read.Errors.SelectMany(e => e.Value), message => Assert.DoesNotContain("Exception", message, StringComparison.Ordinal));
        }, Brief);

        output.WriteLine($"{tried} mutated uploads, {withErrors} with errors");
        Assert.True(withErrors > 0);
    }

    [Theory]
    [InlineData("A2147483648")]
    [InlineData("B99999999999999999999")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA1")]
    [InlineData("XFE1")]
    public void A_cell_reference_past_every_sheet_is_refused_not_thrown(string reference)
    {
        var form = ReportTemplate.Read(new MemoryStream(CraftedWorkbooks.MoveCell(Form, "C7", reference)), Catalogue, Commune());

        Assert.Contains(form.Errors.SelectMany(e => e.Value), message => message.StartsWith("Tệp Excel bị từ chối", StringComparison.Ordinal));
    }

    static string[] PartNames(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    /// <summary>The workbook's parts, each passed through <paramref name="change"/> (which may drop, rename or add parts), zipped again.</summary>
    static byte[] Rezip(byte[] workbook, Func<string, byte[], IEnumerable<(string Name, byte[] Bytes)>> change)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var buffer = new MemoryStream();
                from.CopyTo(buffer);
                foreach (var (name, bytes) in change(entry.FullName, buffer.ToArray()))
                {
                    using var to = target.CreateEntry(name, CompressionLevel.Fastest).Open();
                    to.Write(bytes);
                }
            }
        }

        return output.ToArray();
    }

    /// <summary>The form with one part dropped (0), renamed (1) or doubled (2).</summary>
    static byte[] Restructure(int how, string part) => Rezip(Form, (name, bytes) => name != part ? [(name, bytes)] : how switch
    {
        0 => [],
        1 => [(name + ".bak", bytes)],
        _ => [(name, bytes), (name, bytes)],
    });
}
