using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Antq.Demo;

/// <summary>What the demo season needs: where the platform is, the passwords, and the seed that makes it the same every time.</summary>
public sealed record DemoOptions
{
    public required Uri Gateway { get; init; }
    public required string AdminPassword { get; init; }
    public string DemoPassword { get; init; } = "Demo@2026antq";
    public int Seed { get; init; } = 2026;

    /// <summary>The domain of the demo accounts' e-mail addresses (their units' contact points).</summary>
    public string MailDomain { get; init; } = "demo.antq.local";

    /// <summary>Requests in flight at once while the communes report.</summary>
    public int Parallelism { get; init; } = 4;
}

/// <summary>One of the accounts a newcomer signs in with.</summary>
public sealed record DemoAccount(string Username, string Role, string Unit, string FullName);

/// <summary>A period as the province saw it when the demo ended: units expected, submitted (on time, late), missing.</summary>
public sealed record PeriodFigures(string Period, int Expected, int Submitted, int OnTime, int Late, int Missing, string? ReturnedAndResubmitted);

public sealed record DemoResult(bool AlreadySeeded, IReadOnlyList<PeriodFigures> Periods, int Classified2025, TimeSpan Elapsed);

/// <summary>
/// The demo season of Thanh Hóa (38), played through the public API on a clock that starts on 10/01/2025 and only moves
/// forward: the province's 2025 plan; 2025-H1 in the three-tier tree (communes report to their districts, which close,
/// consolidate and report on); 2025-Y and 2026-H1 in the two-tier tree (communes report to the province); in each period
/// most communes on time, some late, one returned and resubmitted, a few missing; the 2025 annual reports accepted and
/// the communes classified; the 2026 plan with both deadlines and targets and a commune plan below it; and 2026-Y open
/// on 09/12/2026 with about half the communes reported. Every choice comes from <see cref="DemoOptions.Seed"/>.
/// </summary>
public sealed class DemoSeason(DemoOptions options, IDemoClock clock, TextWriter log)
{
    public const string Province = "38";
    public const string Plan2025 = "12/KH-CAT-PV01";
    public const string Plan2026 = "09/KH-CAT-PV01";
    public const string CommunePlan = "05/KH-CAP";
    public const string HamRong = "14758";
    public const string MuongLat = "14845";
    public const string District380 = "380";

    /// <summary>How long the demo waits for the services to catch up with a step (events through the broker): long
    /// enough for a busy machine (a test run beside other tests on two cores), where they normally take seconds.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    /// <summary>
    /// How long Notification must keep notices for the demo's inboxes to stay whole at <see cref="End"/> (the season spans
    /// two years; the district's notices are all of 2025-H1): <c>deploy/antq up</c> sets its retention to this on the demo's clock.
    /// </summary>
    public static readonly TimeSpan NoticeRetention = TimeSpan.FromDays(1095);

    /// <summary>
    /// How late a notice may go before it is marked "[Gửi muộn]", on the demo's clock. The season moves the clock in
    /// jumps of hours to months, and a notice that falls due inside a jump (a reminder at 07:30 while the clock goes from
    /// one morning to a later one) is sent where the clock lands: late for the platform, not for someone reading the demo,
    /// whose inboxes would otherwise carry the mark on nearly every notice. <c>deploy/antq up</c> sets
    /// <c>Notification:Dispatcher:LateAfter</c> to this for the demo (the platform's default is 5 minutes).
    /// </summary>
    public static readonly TimeSpan NoticeLateAfter = TimeSpan.FromDays(400);

    /// <summary>The first moment of the season and the moment it is left at (2026-Y open, a week before the communes' deadline).</summary>
    public static readonly DateTimeOffset Start = At(2025, 1, 10, 9);
    public static readonly DateTimeOffset End = At(2026, 12, 9, 9);

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("pv01.thanhhoa", "ProvinceOfficer", Province, "Phòng PV01 Công an tỉnh Thanh Hóa"),
        new("xa.hamrong", "CommuneOfficer", HamRong, "Công an phường Hàm Rồng"),
        new("xa.muonglat", "CommuneOfficer", MuongLat, "Công an xã Mường Lát"),
        new("xem.thanhhoa", "Viewer", Province, "Lãnh đạo Công an tỉnh Thanh Hóa (chỉ xem)"),
        new("huyen.tpthanhhoa", "DistrictOfficer", District380, "Công an thành phố Thanh Hóa (trước 01/07/2025)"),
    ];

    static readonly string[] SeedingAccounts = ["nhaplieu1.demo", "nhaplieu2.demo", "nhaplieu3.demo"];

    readonly Random random = new(options.Seed);
    readonly Dictionary<string, DemoApi> officers = new(StringComparer.Ordinal);
    readonly Dictionary<string, JsonElement> catalogues = new(StringComparer.Ordinal);
    readonly List<DemoApi> clerks = [];
    DemoApi admin = null!;
    int next;

    static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, Antq.Calendar.VietnamTime.Offset);

    public async Task<DemoResult> RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        admin = new DemoApi(options.Gateway, "admin", options.AdminPassword);
        if (await PlanIdAsync(Province, 2026, Plan2026) is not null)
        {
            Say("Mùa báo cáo minh hoạ đã có (kế hoạch 2026 của tỉnh Thanh Hóa đã ban hành): không nạp lại.");
            return new DemoResult(true, await FiguresAsync([]), 0, Stopwatch.GetElapsedTime(started));
        }

        if (await PlanIdAsync(Province, 2025, Plan2025) is not null)
        {
            throw new DemoException(
                "Một lần nạp mùa minh hoạ trước đã dừng giữa chừng (có kế hoạch 2025 nhưng chưa có kế hoạch 2026). " +
                "Hãy bắt đầu lại từ đầu: deploy/antq down --wipe rồi deploy/antq up.");
        }

        var now = await clock.NowAsync();
        if (now > Start.AddDays(1))
        {
            throw new DemoException(
                $"Đồng hồ của hệ thống đang ở {now.ToOffset(Antq.Calendar.VietnamTime.Offset):dd/MM/yyyy HH:mm}, đã qua ngày bắt đầu mùa minh hoạ ({Start:dd/MM/yyyy}); " +
                "đồng hồ không lùi lại được. Hãy dừng hệ thống (deploy/antq down --wipe) rồi chạy lại deploy/antq up.");
        }

        await clock.AdvanceToAsync(Start);
        var accounts = await AccountsAsync();
        var returned = new Dictionary<string, string?>();

        // 10/01/2025: the province's plan for 2025 (deadlines of both periods, targets of the year).
        var plan2025 = await IssuePlanAsync(new
        {
            number = Plan2025, title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025",
            issuedOn = "2025-01-10", issuerCode = Province, year = 2025,
            deadlines = new Dictionary<string, string> { ["2025-H1"] = "2025-06-20", ["2025-Y"] = "2025-12-20" },
            targets = Targets(),
        });
        await SchedulesPlannedAsync("2025-Y");
        Say($"Kế hoạch {Plan2025} của tỉnh Thanh Hóa năm 2025 đã ban hành ({plan2025}).");

        returned["2025-H1"] = await ThreeTierSixMonthsAsync("2025-H1", accounts);
        returned["2025-Y"] = await TwoTierPeriodAsync("2025-Y", At(2025, 12, 8, 9), annual: true, returnedBy: "pv01.thanhhoa", returnedUnit: null);
        var classified = await ClassifyAsync(2025);

        // 15/01/2026: the 2026 plan with both deadlines and targets; 02/02/2026: Hàm Rồng's plan below it.
        await clock.AdvanceToAsync(At(2026, 1, 15, 9));
        var plan2026 = await IssuePlanAsync(new
        {
            number = Plan2026, title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
            issuedOn = "2026-01-15", issuerCode = Province, year = 2026,
            deadlines = new Dictionary<string, string> { ["2026-H1"] = "2026-06-20", ["2026-Y"] = "2026-12-15" },
            targets = Targets(),
        });
        await clock.AdvanceToAsync(At(2026, 2, 2, 9));
        await IssuePlanAsync(new
        {
            number = CommunePlan, title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026 của phường Hàm Rồng",
            issuedOn = "2026-02-02", issuerCode = HamRong, year = 2026, parentPlanId = plan2026,
            deadlines = new Dictionary<string, string> { ["2026-Y"] = "2026-12-10" },
            targets = new[] { new { indicator = "PCT_KDC_SAFE", comparator = ">=", value = 80m, scope = "subtree" } },
        });
        await SchedulesPlannedAsync("2026-Y");
        Say($"Kế hoạch {Plan2026} của tỉnh và {CommunePlan} của phường Hàm Rồng năm 2026 đã ban hành.");

        returned["2026-H1"] = await TwoTierPeriodAsync("2026-H1", At(2026, 6, 8, 9), annual: false, returnedBy: "pv01.thanhhoa", returnedUnit: HamRong);
        await OpenAnnualAsync("2026-Y");

        // 09/12/2026: a week before the communes' deadline; the first reminders have gone to those who have not reported.
        await clock.AdvanceToAsync(End);
        await InboxesAsync(accounts);
        foreach (var clerk in SeedingAccounts) await admin.PatchAsync($"api/users/{clerk}", new { active = false });

        var figures = await FiguresAsync(returned);
        return new DemoResult(false, figures, classified, Stopwatch.GetElapsedTime(started));
    }

    static object[] Targets() =>
    [
        new { indicator = "PCT_KHA_TRO_LEN", comparator = ">=", value = 70m, scope = "subtree" },
        new { indicator = "PCT_KDC_SAFE", comparator = ">=", value = 75m, scope = "subtree" },
    ];

    /// <summary>The demo accounts (those whose unit exists), their units' e-mail contact points, and three data-entry clerks disabled at the end.</summary>
    async Task<List<DemoAccount>> AccountsAsync()
    {
        var present = new List<DemoAccount>();
        foreach (var account in Accounts)
        {
            var (status, _, response) = await admin.TryAsync(HttpMethod.Get, $"api/org-units/{account.Unit}?asOf=2025-06-14");
            response.Dispose();
            if (status == HttpStatusCode.NotFound) continue;
            var email = $"{account.Username}@{options.MailDomain}";
            await EnsureUserAsync(account.Username, options.DemoPassword, account.Role, account.Unit, account.FullName, email);
            officers[account.Username] = new DemoApi(options.Gateway, account.Username, options.DemoPassword);
            present.Add(account);
        }

        // Each unit's contact point: the addresses of its demo accounts (the province's: PV01 and the leader who views).
        foreach (var unit in present.GroupBy(a => a.Unit))
            await admin.PutAsync($"api/contact-points/{unit.Key}", new { emails = unit.Select(a => $"{a.Username}@{options.MailDomain}").ToArray() });

        // The communes' reports are typed by clerks with the administrator's rights, spread over a few accounts so that
        // no one account passes the gateway's writes per minute.
        var clerkPassword = $"Nhap-Lieu-{options.Seed}-{Guid.NewGuid():N}"[..32] + "aA1!";
        foreach (var clerk in SeedingAccounts)
        {
            await EnsureUserAsync(clerk, clerkPassword, "Admin", Province, "Nhập liệu mùa minh hoạ (khóa sau khi nạp)", null);
            await admin.PatchAsync($"api/users/{clerk}", new { active = true });
            await admin.PostAsync($"api/users/{clerk}/password", new { password = clerkPassword });
            clerks.Add(new DemoApi(options.Gateway, clerk, clerkPassword));
        }

        clerks.Add(admin);
        return present;
    }

    async Task EnsureUserAsync(string username, string password, string role, string unit, string fullName, string? email)
    {
        var (status, body, response) = await admin.TryAsync(HttpMethod.Post, "api/users",
            new { username, password, fullName, role, orgUnitCode = unit, email });
        response.Dispose();
        if (status == HttpStatusCode.Conflict)
        {
            if (email is not null) await admin.PatchAsync($"api/users/{username}", new { email });
            return;
        }

        if (status != HttpStatusCode.Created) throw new DemoException($"Không tạo được tài khoản {username}: {(int)status} {body}");
    }

    async Task<string?> PlanIdAsync(string issuer, int year, string number)
    {
        var list = await admin.GetAsync($"api/plans?issuer={issuer}&year={year}");
        return list.GetProperty("plans").EnumerateArray()
            .Where(p => p.GetProperty("number").GetString() == number)
            .Select(p => p.GetProperty("id").GetString())
            .FirstOrDefault();
    }

    async Task<string> IssuePlanAsync(object plan)
    {
        var created = await admin.PostAsync("api/plans", plan);
        var id = created.GetProperty("id").GetString()!;
        await admin.PostAsync($"api/plans/{id}/issue", null);
        return id;
    }

    /// <summary>
    /// 2025-H1 in the three-tier tree: the communes report to their districts by the derived deadline (15/06), most on
    /// time, one of Thành phố Thanh Hóa returned by its district and resubmitted, some late; the districts close,
    /// consolidate and report on; the province closes at its deadline (20/06).
    /// </summary>
    async Task<string?> ThreeTierSixMonthsAsync(string period, List<DemoAccount> accounts)
    {
        var districts = await ChildrenAsync(Province, "2025-06-14");
        var communes = new List<(string Code, string Parent)>();
        foreach (var district in districts.Where(d => d.Kind == "District"))
            communes.AddRange((await ChildrenAsync(district.Code, "2025-06-14")).Where(c => c.Kind == "Commune").Select(c => (c.Code, district.Code)));
        communes.AddRange(districts.Where(d => d.Kind == "Commune").Select(d => (d.Code, Province)));
        if (communes.Count == 0) throw new DemoException($"Tỉnh {Province} không có xã nào trong cây đơn vị ngày 14/06/2025: chưa nạp danh sách đơn vị?");
        var parents = communes.Select(c => c.Parent).Distinct().ToList();
        await DeadlinesKnownAsync(period, parents);

        var (onTime, late, _) = Split(communes.Select(c => c.Code).ToList(), 0.90, 0.05, [], []);
        await clock.AdvanceToAsync(At(2025, 6, 6, 9));
        await SubmitAllAsync(period, onTime);
        Say($"{period}: {onTime.Count} xã nộp đúng hạn.");

        var district380 = communes.Where(c => c.Parent == District380 && onTime.Contains(c.Code)).Select(c => c.Code).FirstOrDefault();
        string? returned = null;
        if (district380 is not null && accounts.Any(a => a.Unit == District380))
        {
            returned = district380;
            await ReturnAndResubmitAsync(officers["huyen.tpthanhhoa"], admin, returned, period, "Đề nghị bổ sung số liệu tiếp nhận, xử lý tin báo trong 6 tháng.");
        }

        var communesDue = await DueAtAsync(onTime[0], period);
        await clock.AdvanceToAsync(communesDue.AddMinutes(1));
        foreach (var parent in parents.Where(p => p != Province)) await SnapshotAsync(parent, period);
        await clock.AdvanceToAsync(communesDue.AddDays(1).AddHours(9));
        await SubmitAllAsync(period, late, oneByOne: true);

        // Each district reports its consolidated draft (its communes' sums, late ones included).
        await ForEachAsync(parents.Where(p => p != Province).ToList(), async (district, api) =>
            await ResubmitAsync(district == District380 && officers.TryGetValue("huyen.tpthanhhoa", out var huyen) ? huyen : api, district, period));
        var provinceDue = await DueAtAsync(parents.First(p => p != Province), period);
        await clock.AdvanceToAsync(provinceDue.AddMinutes(1));
        await SnapshotAsync(Province, period);
        Say($"{period}: {late.Count} xã nộp muộn, {communes.Count - onTime.Count - late.Count} xã không nộp; các huyện và tỉnh đã khóa sổ.");
        return returned;
    }

    /// <summary>
    /// A period of the two-tier tree, closed: the communes report to the province, most by the deadline, one returned by
    /// PV01 and resubmitted, some after the close, a few never. An annual period's reports are accepted by PV01.
    /// </summary>
    async Task<string?> TwoTierPeriodAsync(string period, DateTimeOffset submitAt, bool annual, string returnedBy, string? returnedUnit)
    {
        var communes = await CommunesAsync(period);
        await DeadlinesKnownAsync(period, [Province]);
        // Mường Lát is late in 2025-Y; Hàm Rồng always on time.
        var (onTime, late, _) = Split(communes, 0.88, 0.06, [HamRong], annual ? [MuongLat] : []);
        await clock.AdvanceToAsync(submitAt);
        await SubmitAllAsync(period, onTime, annual);
        var returned = returnedUnit is not null && onTime.Contains(returnedUnit) ? returnedUnit : onTime[onTime.Count / 2];
        var owner = officers.Values.FirstOrDefault(o => Accounts.Any(a => a.Username == o.Username && a.Unit == returned && a.Role == "CommuneOfficer")) ?? admin;
        await ReturnAndResubmitAsync(officers.GetValueOrDefault(returnedBy) ?? admin, owner, returned, period,
            annual ? "Đề nghị bổ sung số liệu khu dân cư đạt tiêu chuẩn an toàn và kết quả hòa giải." : "Đề nghị bổ sung số liệu tiếp nhận, xử lý tin báo trong 6 tháng.");

        var due = await DueAtAsync(onTime[0], period);
        await clock.AdvanceToAsync(due.AddMinutes(1));
        await SnapshotAsync(Province, period);
        await clock.AdvanceToAsync(due.AddDays(2).AddHours(9));
        await SubmitAllAsync(period, late, annual, oneByOne: true);
        if (annual)
        {
            var pv01 = officers.GetValueOrDefault("pv01.thanhhoa") ?? admin;
            await ForEachAsync([.. onTime, .. late], async (code, _) => await pv01.PostAsync($"api/reports/{code}/{period}/accept", null));
        }

        Say($"{period}: {onTime.Count} xã nộp đúng hạn, {late.Count} nộp muộn, {communes.Count - onTime.Count - late.Count} không nộp; xã {returned} bị trả lại và đã nộp lại.");
        return returned;
    }

    /// <summary>2026-Y on 01/12/2026: about half the communes have reported (Hàm Rồng among them, Mường Lát not); PV01 has accepted a few.</summary>
    async Task OpenAnnualAsync(string period)
    {
        var communes = await CommunesAsync(period);
        await DeadlinesKnownAsync(period, [Province]);
        var (reported, _, _) = Split(communes, 0.5, 0, [HamRong], [MuongLat]);
        reported.Remove(MuongLat);
        await clock.AdvanceToAsync(At(2026, 12, 1, 9));
        await SubmitAllAsync(period, reported, annual: true);
        var pv01 = officers.GetValueOrDefault("pv01.thanhhoa") ?? admin;
        foreach (var code in reported.Where(c => c != HamRong).Take(8)) await pv01.PostAsync($"api/reports/{code}/{period}/accept", null);
        Say($"{period}: {reported.Count}/{communes.Count} xã đã nộp; kỳ còn mở đến hạn.");
    }

    /// <summary>PV01 approves the scores typed by people for most communes whose 2025 report it accepted; the class follows.</summary>
    async Task<int> ClassifyAsync(int year)
    {
        var period = $"{year}-Y";
        var board = await admin.GetAsync($"api/rollups/{Province}/{period}/children");
        var accepted = board.GetProperty("children").EnumerateArray()
            .Where(r => r.GetProperty("status").GetString() == "accepted").Select(r => r.GetProperty("code").GetString()!).ToList();
        var chosen = accepted.Where((_, i) => i % 12 != 11).ToList(); // about one in twelve not yet scored
        // Classification scores the computed criteria from the accepted reports: wait for the last one.
        await UntilAsync(async () =>
        {
            var sheet = await admin.GetAsync($"api/classifications/{chosen[^1]}/{year}");
            return sheet.GetProperty("criteria").EnumerateArray().Where(c => c.GetProperty("computed").GetBoolean())
                .All(c => c.GetProperty("computedScore").ValueKind == JsonValueKind.Number);
        }, Patience, $"Classification has the accepted {period} reports");

        var pv01 = officers.GetValueOrDefault("pv01.thanhhoa") ?? admin;
        var scores = chosen.ToDictionary(c => c, _ => new Dictionary<string, decimal>
        {
            ["TC1"] = random.Next(6, 11), ["TC2"] = random.Next(9, 16), ["TC6"] = random.Next(11, 21), ["TC7"] = random.Next(5, 11),
        });
        await ForEachAsync(chosen, async (code, _) => await pv01.PutAsync($"api/classifications/{code}/{year}/evaluation", new { approvedScores = scores[code] }));
        Say($"Phân loại phong trào năm {year}: {chosen.Count} xã đã được chấm điểm.");
        return chosen.Count;
    }

    /// <summary>Waits until each demo account's inbox holds a notice (Notification works through the broker, after the steps).</summary>
    async Task InboxesAsync(List<DemoAccount> accounts)
    {
        foreach (var account in accounts)
        {
            // Mường Lát has not reported 2026-Y: it waits for the first reminder of the period (a week before the deadline).
            var (kind, period) = account.Unit == MuongLat ? ("reminder", "2026-Y") : ((string?)null, (string?)null);
            await UntilAsync(async () => (await officers[account.Username].GetAsync("api/notifications?limit=500")).EnumerateArray()
                .Any(n => kind is null || (n.GetProperty("kind").GetString() == kind && n.GetProperty("period").GetString() == period)),
                Patience, $"a notice {kind} {period} in the inbox of {account.Username}");
        }
    }

    /// <summary>The province's figures of each period now (live completeness of the roll-up).</summary>
    async Task<List<PeriodFigures>> FiguresAsync(Dictionary<string, string?> returned)
    {
        var list = new List<PeriodFigures>();
        foreach (var period in new[] { "2025-H1", "2025-Y", "2026-H1", "2026-Y" })
        {
            var rollup = await admin.GetAsync($"api/rollups/{Province}/{period}");
            var c = rollup.GetProperty("completeness");
            list.Add(new PeriodFigures(period, c.GetProperty("expected").GetInt32(), c.GetProperty("submitted").GetInt32(),
                c.GetProperty("onTime").GetInt32(), c.GetProperty("late").GetInt32(), c.GetProperty("missing").GetInt32(),
                returned.GetValueOrDefault(period)));
        }

        return list;
    }

    // ------------------------------------------------------------------ steps

    /// <summary>The seed's split of the units: on time, late, the rest missing; <paramref name="onTimeAlways"/> and <paramref name="lateAlways"/> placed first.</summary>
    (List<string> OnTime, List<string> Late, List<string> Missing) Split(List<string> units, double onTimeShare, double lateShare,
        string[] onTimeAlways, string[] lateAlways)
    {
        var shuffled = units.Order(StringComparer.Ordinal).ToArray();
        random.Shuffle(shuffled);
        var onTimeCount = (int)Math.Round(units.Count * onTimeShare);
        var lateCount = (int)Math.Round(units.Count * lateShare);
        var rest = shuffled.Where(u => !onTimeAlways.Contains(u) && !lateAlways.Contains(u)).ToList();
        var onTime = onTimeAlways.Where(units.Contains).Concat(rest).Take(Math.Max(onTimeCount, 1)).ToList();
        var late = lateAlways.Where(units.Contains).Concat(rest.Except(onTime)).Take(lateCount).ToList();
        var missing = units.Except(onTime).Except(late).ToList();
        return (onTime, late, missing);
    }

    async Task<List<(string Code, string Kind)>> ChildrenAsync(string code, string asOf)
    {
        var children = await admin.GetAsync($"api/org-units/{code}/children?asOf={asOf}");
        return [.. children.GetProperty("children").EnumerateArray().Select(c => (c.GetProperty("code").GetString()!, c.GetProperty("kind").GetString()!))];
    }

    async Task<List<string>> CommunesAsync(string period)
    {
        var board = await admin.GetAsync($"api/rollups/{Province}/{period}/children");
        var codes = board.GetProperty("children").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).ToList();
        if (codes.Count == 0) throw new DemoException($"Tỉnh {Province} không có đơn vị trực thuộc nào trong kỳ {period}.");
        return codes;
    }

    /// <summary>Waits until Reporting has every deadline of the units reporting to <paramref name="parents"/> (it learns them through the broker).</summary>
    async Task DeadlinesKnownAsync(string period, List<string> parents)
    {
        foreach (var parent in parents)
        {
            await UntilAsync(async () =>
            {
                var rows = (await admin.GetAsync($"api/rollups/{parent}/{period}/children")).GetProperty("children");
                return rows.GetArrayLength() > 0 && rows.EnumerateArray().All(r => r.GetProperty("dueAt").ValueKind == JsonValueKind.String);
            }, Patience, $"Reporting knows the {period} deadlines of the units reporting to {parent}");
        }
    }

    /// <summary>
    /// Waits until Notification has planned every commune's reminders for the period (it plans them from the deadlines,
    /// earliest first, at its own pace): a reminder planned after the clock passed its time would never be sent.
    /// </summary>
    async Task SchedulesPlannedAsync(string period)
    {
        await DeadlinesKnownAsync(period, [Province]);
        var communes = await CommunesAsync(period);
        await ForEachAsync(communes, async (code, _) => await UntilAsync(async () =>
        {
            var (status, _, response) = await admin.TryAsync(HttpMethod.Get, $"api/notifications/schedule/{code}/{period}");
            response.Dispose();
            return status == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(120), $"Notification has planned the reminders of {code} {period}"));
    }

    async Task<DateTimeOffset> DueAtAsync(string unit, string period) =>
        (await admin.GetAsync($"api/deadlines/{unit}/{period}")).GetProperty("dueAt").GetDateTimeOffset();

    async Task SnapshotAsync(string unit, string period) =>
        await UntilAsync(async () =>
        {
            var (status, _, response) = await admin.TryAsync(HttpMethod.Get, $"api/rollups/{unit}/{period}/snapshot");
            response.Dispose();
            return status == HttpStatusCode.OK;
        }, Patience, $"the closing of {period} at {unit}");

    /// <remarks>
    /// Late reports go <paramref name="oneByOne"/>: each reaches the consolidated draft of the closed level above, and
    /// two at once make the second answer 412 although its own report did not change (Reporting serialises nothing
    /// there yet).
    /// </remarks>
    async Task SubmitAllAsync(string period, List<string> units, bool annual = false, bool oneByOne = false)
    {
        var catalogue = await CatalogueAsync(period);
        // Each report's figures from its own seed: the same whatever order the requests run in.
        var bodies = units.ToDictionary(u => u, u => Report(catalogue, period, unchecked(options.Seed * 7919 + Stable(period + u)), annual));
        await ForEachAsync(units, async (code, clerk) =>
        {
            var own = officers.Values.FirstOrDefault(o => Accounts.Any(a => a.Username == o.Username && a.Unit == code && a.Role == "CommuneOfficer"));
            await SubmitAsync(own ?? clerk, code, period, bodies[code]);
        }, oneByOne ? 1 : options.Parallelism);
    }

    /// <summary>
    /// Saves and submits a report in one step. A commune with units below it already has a report once its own
    /// period closed (its consolidated draft): that one is submitted with its version (If-Match), as the portal does.
    /// </summary>
    static async Task SubmitAsync(DemoApi api, string code, string period, JsonObject body)
    {
        string? version = null;
        for (var attempt = 1; ; attempt++)
        {
            var (status, answer, response) = await api.TryAsync(HttpMethod.Post, $"api/reports/{code}/{period}/submit", body, version);
            response.Dispose();
            if (status is HttpStatusCode.PreconditionRequired or HttpStatusCode.PreconditionFailed && attempt < 10)
            {
                var (_, _, read) = await api.TryAsync(HttpMethod.Get, $"api/reports/{code}/{period}");
                version = read.Headers.ETag?.Tag;
                read.Dispose();
                continue;
            }

            if (status == HttpStatusCode.TooManyRequests && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                continue;
            }

            if ((int)status >= 400) throw new DemoException($"{api.Username}: nộp {code} {period} → {(int)status} {answer}");
            return;
        }
    }

    static int Stable(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;

    async Task ReturnAndResubmitAsync(DemoApi reviewer, DemoApi owner, string code, string period, string reason)
    {
        await reviewer.PostAsync($"api/reports/{code}/{period}/return", new { reason });
        await ResubmitAsync(owner, code, period);
    }

    /// <summary>Submits the report as last saved, with its version; reloads once more when it changed meanwhile (412).</summary>
    static async Task ResubmitAsync(DemoApi api, string code, string period)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (readStatus, _, read) = await api.TryAsync(HttpMethod.Get, $"api/reports/{code}/{period}");
            var etag = read.Headers.ETag?.Tag;
            read.Dispose();
            if (readStatus != HttpStatusCode.OK || etag is null) throw new DemoException($"{api.Username}: không đọc được báo cáo {code} {period} ({(int)readStatus}).");
            var (status, body, response) = await api.TryAsync(HttpMethod.Post, $"api/reports/{code}/{period}/submit", ifMatch: etag);
            response.Dispose();
            if (status == HttpStatusCode.PreconditionFailed && attempt < 5) continue;
            if ((int)status >= 400) throw new DemoException($"{api.Username}: nộp lại {code} {period} → {(int)status} {body}");
            return;
        }
    }

    async Task<JsonElement> CatalogueAsync(string period)
    {
        if (!catalogues.TryGetValue(period, out var catalogue)) catalogues[period] = catalogue = await admin.GetAsync($"api/indicators?period={period}");
        return catalogue;
    }

    /// <summary>
    /// A full report of the catalogue for the period with figures a commune could have: counts, amounts and yes/no from
    /// the seed; for a year, residential areas, organisations, models and mediation in proportions Classification scores;
    /// every rule "A + B &lt;= C + D" kept.
    /// </summary>
    static JsonObject Report(JsonElement catalogue, string period, int seed, bool annual)
    {
        var random = new Random(seed);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.GetProperty("indicators").EnumerateArray())
        {
            if (indicator.GetProperty("computed").GetBoolean()) continue;
            types[indicator.GetProperty("code").GetString()!] = indicator.GetProperty("valueType").GetString()!;
        }

        var values = types.ToDictionary(t => t.Key, t => t.Value switch
        {
            "boolean" => random.Next(100) < 85 ? 1m : 0m,
            "decimal" => Math.Round((decimal)random.NextDouble() * 300, 1),
            _ => (decimal)random.Next(0, 40),
        }, StringComparer.Ordinal);

        if (annual)
        {
            var areas = random.Next(8, 26);
            var orgs = random.Next(10, 31);
            var models = random.Next(1, 5);
            var cases = random.Next(6, 31);
            var overrides = new Dictionary<string, decimal>
            {
                ["KDC_TOTAL"] = areas, ["KDC_REGISTERED"] = areas, ["KDC_SAFE"] = Math.Round(areas * (decimal)(0.55 + random.NextDouble() * 0.45)),
                ["ORG_TOTAL"] = orgs, ["ORG_SAFE"] = Math.Round(orgs * (decimal)(0.6 + random.NextDouble() * 0.4)), ["FESTIVAL_UNITS_HELD"] = random.Next(0, 9),
                ["CLS_XUAT_SAC"] = 0, ["CLS_KHA"] = 0, ["CLS_TRUNG_BINH"] = 0, ["CLS_YEU"] = 0,
                ["MODELS_ACTIVE"] = models, ["MODELS_EFFECTIVE"] = random.Next(100) < 85 ? random.Next(1, models + 1) : 0,
                ["MEDIATION_CASES"] = cases, ["MEDIATION_SUCCESS"] = Math.Round(cases * (decimal)(0.75 + random.NextDouble() * 0.25)),
            };
            foreach (var (code, value) in overrides.Where(o => types.ContainsKey(o.Key))) values[code] = value;
        }

        // Scale each rule's left side down until it fits under its right side.
        foreach (var rule in catalogue.GetProperty("rules").EnumerateArray())
        {
            var parts = rule.GetProperty("expression").GetString()!.Split("<=");
            if (parts.Length != 2) continue;
            var left = parts[0].Split('+').Select(c => c.Trim()).ToArray();
            var right = parts[1].Split('+').Select(c => c.Trim()).ToArray();
            if (!left.All(values.ContainsKey) || !right.All(values.ContainsKey)) continue;
            var limit = right.Sum(c => values[c]);
            var sum = left.Sum(c => values[c]);
            if (sum <= limit) continue;
            foreach (var code in left) values[code] = sum == 0 ? 0 : Math.Floor(values[code] * limit / sum);
        }

        var body = new JsonObject();
        foreach (var (code, value) in values) body[code] = types[code] == "boolean" ? JsonValue.Create(value == 1) : JsonValue.Create(value);
        var narrative = new JsonObject();
        foreach (var section in catalogue.GetProperty("narrativeSections").EnumerateArray())
        {
            narrative[section.GetProperty("code").GetString()!] = string.Create(CultureInfo.InvariantCulture,
                $"{section.GetProperty("name").GetString()} kỳ {period}: tình hình an ninh, trật tự trên địa bàn cơ bản ổn định; các nhiệm vụ của kế hoạch đã được triển khai.");
        }

        return new JsonObject { ["values"] = body, ["narrative"] = narrative };
    }

    /// <summary>Runs <paramref name="step"/> for every item, a few at once, each on the next clerk's account.</summary>
    async Task ForEachAsync(List<string> items, Func<string, DemoApi, Task> step, int? parallelism = null) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? options.Parallelism }, async (item, _) =>
        {
            var clerk = clerks[(Interlocked.Increment(ref next) & 0x7fffffff) % clerks.Count];
            await step(item, clerk);
        });

    static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new DemoException($"Đã chờ {timeout.TotalSeconds:0} giây mà chưa thấy: {what}.");
            await Task.Delay(200);
        }
    }

    readonly long began = Stopwatch.GetTimestamp();

    void Say(string line) => log.WriteLine($"[demo] {Stopwatch.GetElapsedTime(began).TotalSeconds,5:0.0} s  {line}");
}
