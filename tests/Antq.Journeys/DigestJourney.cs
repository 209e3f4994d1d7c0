using Antq.Notification.Api.Data;
using Antq.Notification.Api.Digests;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;

namespace Antq.Journeys;

/// <summary>
/// Submissions of the open season reach the province officer as a digest: each report submitted through the gateway is
/// in the inbox at once, and the province's address gets one e-mail listing them when the window ends.
/// </summary>
[Collection(OpenSeasonCollection.Name)]
public sealed class DigestJourney(OpenSeason season)
{
    const string Period = OpenSeason.Period;

    [Fact]
    public async Task Communes_that_submit_within_a_window_reach_the_province_by_one_email_listing_them_and_each_in_the_inbox()
    {
        var communes = new List<(string Code, string Name, HttpClient Officer)>();
        foreach (var index in new[] { 20, 21, 22 })
        {
            var (code, name, _, officer) = await season.CommuneAsync(index);
            communes.Add((code, name, officer));
        }

        foreach (var (code, _, officer) in communes)
        {
            await Season.SubmitAsync(officer, code, Period, Season.Report(Period, seed: 2000 + communes.FindIndex(c => c.Code == code)));
            season.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        // The inbox: one notice per submission, at once.
        foreach (var (code, name, _) in communes)
        {
            var notice = await Season.NoticeAsync(season.Province01, "submitted", code, Period);
            Assert.Contains(name, notice.GetProperty("title").GetString());
        }

        // E-mail: nothing per submission; the digest goes when the window that the first (or an earlier one) opened ends.
        var address = JourneyPlatform.EmailOf(OpenSeason.Pv01);
        Assert.DoesNotContain(season.Smtp.To(address), m => communes.Any(c => (m.TextBody ?? "").Contains($"(mã {c.Code})", StringComparison.Ordinal)));
        var closesAt = await season.InAsync<NotificationDbContext, DateTimeOffset>(season.Notification,
            db => db.Set<Digest>().Where(d => d.Recipient == address && d.Status == DigestStatuses.Open).Select(d => d.ClosesAt).SingleAsync());
        season.Clock.AdvanceTo(closesAt.AddSeconds(1));

        await Eventually.UntilAsync(
            () => season.Smtp.To(address).Any(m => communes.All(c => (m.TextBody ?? "").Contains($"{c.Name} (mã {c.Code}), nộp lúc ", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60), "one e-mail to the province listing the three communes");
        var mentioning = season.Smtp.To(address).Where(m => communes.Any(c => (m.TextBody ?? "").Contains($"(mã {c.Code})", StringComparison.Ordinal))).ToList();
        var digest = Assert.Single(mentioning);
        Assert.StartsWith("Tổng hợp báo cáo đã nộp: ", digest.Subject);
        Assert.Contains("Kính gửi ", digest.TextBody);
        Assert.Contains("đúng hạn", digest.TextBody);
    }
}
