
namespace Antq.Testing;

/// <summary>One crafted upload: what it is, its bytes and the content type it is sent with.</summary>
public sealed record HostileUpload(string Label, byte[] Body, string ContentType);

/// <summary>
/// The hostile corpus of the Excel upload (<c>PUT /api/reports/{code}/{period}</c> with the form): each file is built
/// from the real form the service hands out (<see cref="CraftedWorkbooks"/>), and each must be answered with a 4xx that
/// changes nothing, with little memory. The bench sends it to a running Reporting and measures its peak working set
/// (bench/Antq.Bench/HostileUploadBench.cs, docs/benchmarks.md); the reader's tests check each refusal's message.
/// </summary>
public static class HostileWorkbooks
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IReadOnlyList<HostileUpload> Corpus(byte[] form)
    {
        var cell = FirstCellOfColumn(form, "C");
        HostileUpload Xlsx(string label, byte[] body) => new(label, body, XlsxContentType);
        var random = new Random(24);
        var notAZip = new byte[64 * 1024];
        random.NextBytes(notAZip);
        var oversized = new byte[6 * 1024 * 1024];
        random.NextBytes(oversized);
        return
        [
            Xlsx("zip bomb: the sheet padded to 600 MB", CraftedWorkbooks.Bomb(form, 600L * 1024 * 1024)),
            Xlsx("zip bomb whose headers declare the small size", CraftedWorkbooks.Bomb(form, 600L * 1024 * 1024, lieInHeader: true)),
            Xlsx("a part compressed 1000:1 below the part size", CraftedWorkbooks.Bomb(form, 4L * 1024 * 1024)),
            Xlsx("a cell at row 2,147,483,647", CraftedWorkbooks.MoveCell(form, cell, "C2147483647")),
            Xlsx("a cell at row 99,999,999,999,999,999,999", CraftedWorkbooks.MoveCell(form, cell, "C99999999999999999999")),
            Xlsx("a cell at column ZZZZZZZZZZZZZZ", CraftedWorkbooks.MoveCell(form, cell, "ZZZZZZZZZZZZZZ7")),
            Xlsx("billion laughs: entities expanding tenfold nine times", CraftedWorkbooks.BillionLaughs(form)),
            Xlsx("elements nested 100,000 deep", CraftedWorkbooks.DeepNesting(form, 100_000)),
            Xlsx("25,000 cells at one address", CraftedWorkbooks.CellFlood(form, cell, 25_000)),
            Xlsx("25,000 shared strings", CraftedWorkbooks.WithSharedStrings(form, Enumerable.Repeat("", 25_000))),
            Xlsx("three shared strings of 1,000,000 characters", CraftedWorkbooks.WithSharedStrings(form, Enumerable.Repeat(new string('x', 1_000_000), 3))),
            Xlsx("random bytes, not a zip", notAZip),
            Xlsx("6 MB, past the upload's size", oversized),
            new("the form sent as application/zip", form, "application/zip"),
            new("the form sent as text/plain", form, "text/plain"),
        ];
    }

    /// <summary>The reference of the first cell of <paramref name="column"/> in the form's sheet (<c>C7</c>).</summary>
    static string FirstCellOfColumn(byte[] workbook, string column)
    {
        var xml = CraftedWorkbooks.Part(workbook, CraftedWorkbooks.SheetName(workbook));
        var at = xml.IndexOf($"r=\"{column}", StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"The form has no cell in column {column}.");
        var start = at + 3;
        return xml[start..xml.IndexOf('"', start)];
    }

    /// <summary>A one-line summary of an answer's status codes: <c>413 ×2, 400 ×13</c>.</summary>
    public static string Summary(IEnumerable<int> statuses) =>
        string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"));
}
