using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Antq.Testing;

namespace Antq.Journeys;

/// <summary>
/// Lai Châu three days before its annual deadline (before 15/12/2026): three communes report on time, the deadline
/// passes on the platform's clock, Reporting closes the period at the province on its own, and what follows is checked
/// across services: the frozen snapshot, the province's consolidated draft, the notice and e-mail to PV01, a late
/// report after the close, and the documents.
/// </summary>
public sealed class ClosingSeason() : JourneyPlatform(new DateTimeOffset(2026, 12, 12, 9, 0, 0, TimeSpan.FromHours(7)));

public sealed class ClosingJourney(ClosingSeason platform) : IClassFixture<ClosingSeason>
{
    const string Province = "12";
    const string Period = "2026-Y";
    const string Pv01 = "pv01.laichau";

    [Fact]
    public async Task The_deadline_passes_the_period_closes_at_the_province_its_draft_is_consolidated_and_the_documents_say_so()
    {
        var province = await platform.ImportProvinceAsync("units-2026-07-two-tier.json", Province, "2025-07-01");
        var communes = province["Wards"]!.AsArray().Select(w => ((string)w!["Code"]!, (string)w["FullName"]!)).ToList();
        var pv01 = await platform.UserAsync(Pv01, "ProvinceOfficer", Province);
        await platform.ContactAsync(Province, Pv01);
        var plan = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "15/KH-CAT-PV01", title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
            issuedOn = "2026-01-15", issuerCode = Province, year = 2026,
            deadlines = new Dictionary<string, string> { [Period] = "2026-12-15" },
        });
        await Season.PostAsync(platform.Admin, $"api/plans/{plan.GetProperty("id").GetString()}/issue", null);
        var due = JourneyPlatform.VietnamMidnight("2026-12-15");

        // Three communes report on time, 10, 20 and 30 tips each.
        var officers = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            var officer = await platform.UserAsync($"xa{i}.laichau", "CommuneOfficer", communes[i].Item1);
            officers.Add(officer);
            await Eventually.UntilAsync(async () =>
            {
                using var response = await officer.GetAsync($"api/deadlines/{communes[i].Item1}/{Period}");
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(60), $"the deadline of {communes[i].Item1}");
        }

        for (var i = 0; i < 3; i++)
            await Season.SubmitAsync(officers[i], communes[i].Item1, Period, Season.Report(Period, 500 + i, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 10 * (i + 1), ["TIPS_VALUABLE"] = i }));

        // The deadline passes: Reporting closes the period at the province by itself.
        platform.Clock.AdvanceTo(due.AddMinutes(1));
        var snapshot = await Season.SnapshotAsync(pv01, Province, Period);
        var frozen = snapshot.GetProperty("completeness");
        Assert.Equal(communes.Count, frozen.GetProperty("expected").GetInt32());
        Assert.Equal(3, frozen.GetProperty("onTime").GetInt32());
        Assert.Equal(0, frozen.GetProperty("late").GetInt32());
        Assert.Equal(communes.Count - 3, frozen.GetProperty("missing").GetInt32());
        Assert.Contains(communes[3].Item1, snapshot.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(60m, Season.Value(snapshot, "TIPS_TOTAL"));
        Assert.Equal(due, snapshot.GetProperty("dueAt").GetDateTimeOffset());

        // The administrators' status page lists the closing at the top of Reporting's last closings.
        var closing = (await Season.GetAsync(platform.Admin, "api/status")).GetProperty("closings")[0];
        Assert.Equal((Province, Period, due), (closing.GetProperty("orgUnitCode").GetString(), closing.GetProperty("period").GetString(), closing.GetProperty("dueAt").GetDateTimeOffset()));
        Assert.Equal(communes.Count - 3, closing.GetProperty("missing").GetInt32());

        // The province's own report is the consolidated draft, pre-filled with the communes' sums.
        var (draft, _) = await Season.ReportAsync(pv01, Province, Period);
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal(60m, draft.GetProperty("values").GetProperty("TIPS_TOTAL").GetDecimal());

        // PV01 is told, in the inbox and by e-mail, with the count of those missing.
        var notice = await Season.NoticeAsync(pv01, "periodClosed", Province, Period);
        Assert.Contains((communes.Count - 3).ToString(), notice.GetProperty("body").GetString());
        await Season.MailAsync(platform.Smtp, Pv01, (communes.Count - 3).ToString());

        // A commune that reports after the close counts live, as late; the snapshot keeps what the deadline saw.
        var late = await Season.SubmitAsync(officers[3], communes[3].Item1, Period, Season.Report(Period, 503, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 40, ["TIPS_VALUABLE"] = 1 }));
        Assert.False(late.GetProperty("onTime").GetBoolean());
        var live = await Season.GetAsync(pv01, $"api/rollups/{Province}/{Period}");
        Assert.Equal(100m, Season.Value(live, "TIPS_TOTAL"));
        Assert.Equal(1, live.GetProperty("completeness").GetProperty("late").GetInt32());
        var still = await Season.GetAsync(pv01, $"api/rollups/{Province}/{Period}/snapshot");
        Assert.Equal(60m, Season.Value(still, "TIPS_TOTAL"));

        // The late report also reaches the province's consolidated draft, never silently: its figures are added and the
        // draft's history names the commune and says it came after the close.
        var (consolidated, _) = await Season.ReportAsync(pv01, Province, Period);
        Assert.Equal(100m, consolidated.GetProperty("values").GetProperty("TIPS_TOTAL").GetDecimal());
        Assert.Contains(consolidated.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "lateIncluded"
            && h.GetProperty("newValue").GetString()!.Contains(communes[3].Item2, StringComparison.Ordinal));

        // The documents: Excel and Word, each naming the province, from the frozen snapshot unless the live figures are
        // asked for, and saying which they show.
        foreach (var (format, part) in new[] { ("xlsx", "xl/"), ("docx", "word/document.xml") })
        {
            foreach (var (query, figures, says) in new[] { ("", "snapshot", "Số liệu chốt khi khóa sổ"), ("&source=live", "live", "Số liệu trực tiếp") })
            {
                using var response = await pv01.GetAsync($"api/rollups/{Province}/{Period}/export?format={format}{query}");
                Assert.True(response.IsSuccessStatusCode, $"export {format}{query}: {(int)response.StatusCode}");
                Assert.Equal(figures, response.Headers.GetValues("X-Antq-Figures").Single());
                using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
                var text = new StringBuilder();
                foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(part, StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
                {
                    using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                    text.Append(await reader.ReadToEndAsync());
                }

                Assert.Contains("Lai Châu", text.ToString());
                Assert.Contains(says, text.ToString());
                // The snapshot counts the three that were on time; the live figures the late one too.
                Assert.Contains(figures == "snapshot" ? "Đã nhận 3/" : "Đã nhận 4/", text.ToString());
            }
        }
    }
}
