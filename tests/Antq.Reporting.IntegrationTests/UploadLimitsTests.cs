using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Antq.ServiceDefaults;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// Crafted Excel forms sent as an attacker would, through PUT /api/reports/{code}/{period}: each is refused quickly with a
/// Vietnamese problem+json, and the saved draft stays as it was.
/// </summary>
[Collection(ReportingCollection.Name)]
public sealed class UploadLimitsTests(ReportingFixture fixture)
{
    const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const string Period = "2038-Y";
    static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10); // generous: a refusal takes milliseconds

    [Fact]
    public async Task Crafted_forms_are_refused_quickly_in_Vietnamese_and_leave_the_draft_as_it_was()
    {
        var commune = fixture.Units.ChildrenOf("12", new DateOnly(2038, 12, 14)).First().Code;
        using var client = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        var path = $"/api/reports/{commune}/{Period}";
        await client.PutJsonAsync(path, new { values = new Dictionary<string, int> { ["FORUMS"] = 5 } }).OkJsonAsync();
        var before = await client.GetAsync(path).OkJsonAsync();
        var template = await (await client.GetAsync($"{path}/template.xlsx")).Content.ReadAsByteArrayAsync();

        var bomb = Bomb(template, 600L * 1024 * 1024);
        Assert.True(bomb.Length < 5 * 1024 * 1024, $"The bomb is {bomb.Length:N0} bytes on the wire.");
        await RefusedAsync(client, path, bomb, XlsxType, HttpStatusCode.BadRequest, "giới hạn dung lượng mỗi phần");
        await RefusedAsync(client, path, MoveCell(template, "C7", "C2147483647"), XlsxType, HttpStatusCode.BadRequest, "giới hạn số dòng của biểu mẫu");
        await RefusedAsync(client, path, MoveCell(template, "C7", "XFD99999999"), XlsxType, HttpStatusCode.BadRequest, "giới hạn cột của biểu mẫu");
        await RefusedAsync(client, path, "không phải Excel"u8.ToArray(), XlsxType, HttpStatusCode.BadRequest, "không phải tệp Excel (.xlsx) hợp lệ");
        await RefusedAsync(client, path, template, "text/plain", HttpStatusCode.UnsupportedMediaType, null);
        await RefusedAsync(client, path, template, "application/zip", HttpStatusCode.UnsupportedMediaType, null);

        var after = await client.GetAsync(path).OkJsonAsync();
        Assert.Equal(before.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
        Assert.Equal(before.GetProperty("values").GetRawText(), after.GetProperty("values").GetRawText());
        Assert.Equal(before.GetProperty("status").GetRawText(), after.GetProperty("status").GetRawText());
    }

    static async Task RefusedAsync(HttpClient client, string path, byte[] body, string contentType, HttpStatusCode status, string? limit)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var clock = Stopwatch.StartNew();
        using var response = await client.PutAsync(path, content);
        var took = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{contentType}, {body.Length:N0} bytes: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(took < Quickly, $"The refusal took {took}.");
        var problem = await response.ReadJsonAsync();
        var message = problem.TryGetProperty("detail", out var detail) && detail.GetString() is { } d ? d : problem.GetProperty("title").GetString()!;
        Assert.Contains(message, c => c > 127); // Vietnamese, with its diacritics
        if (limit is not null) Assert.Contains(limit, message, StringComparison.Ordinal);
        Console.WriteLine($"{(int)response.StatusCode} in {took.TotalMilliseconds:N0} ms: {message}");
    }

    static string SheetName(ZipArchive zip) =>
        zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)).FullName;

    /// <summary>The form with its sheet replaced by what <paramref name="write"/> writes from the original XML.</summary>
    static byte[] WithSheet(byte[] workbook, CompressionLevel level, Action<string, Stream> write)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var sheet = SheetName(source);
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                if (entry.FullName == sheet)
                {
                    using var reader = new StreamReader(from);
                    using var to = target.CreateEntry(entry.FullName, level).Open();
                    write(reader.ReadToEnd(), to);
                }
                else
                {
                    using var to = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                    from.CopyTo(to);
                }
            }
        }

        return output.ToArray();
    }

    static byte[] MoveCell(byte[] workbook, string from, string to) => WithSheet(workbook, CompressionLevel.Optimal, (xml, s) =>
    {
        Assert.Contains($"r=\"{from}\"", xml, StringComparison.Ordinal);
        s.Write(Encoding.UTF8.GetBytes(xml.Replace($"r=\"{from}\"", $"r=\"{to}\"", StringComparison.Ordinal)));
    });

    /// <summary>The real form with its sheet padded by whitespace to hundreds of megabytes, compressed to a few hundred kilobytes.</summary>
    static byte[] Bomb(byte[] workbook, long padding) => WithSheet(workbook, CompressionLevel.SmallestSize, (xml, s) =>
    {
        var close = xml.LastIndexOf("</", StringComparison.Ordinal);
        s.Write(Encoding.UTF8.GetBytes(xml[..close]));
        var spaces = new byte[1024 * 1024];
        Array.Fill(spaces, (byte)' ');
        for (long written = 0; written < padding; written += spaces.Length) s.Write(spaces, 0, (int)Math.Min(spaces.Length, padding - written));
        s.Write(Encoding.UTF8.GetBytes(xml[close..]));
    });
}
