namespace Antq.Bench;

sealed partial class PlatformBench
{
    // ------------------------------------------------------------------ close
    async Task CloseAsync(SmtpSink smtp)
    {
        const string period = "2026-Y";
        var watch = Stopwatch.StartNew();
        var units = twoTier.Select(c => c.Code).Concat(twoTier.Select(c => c.Province).Distinct()).ToList();
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (code, ct) =>
            await api.SetContactPointAsync(code, [$"ca.{code}@congan.example.vn"], ct));
        log($"contact points for {units.Count} units in {watch.Elapsed.TotalSeconds:F0} s");

        var provinces = twoTier.Select(c => c.Province).Distinct().Order(StringComparer.Ordinal).ToList();
        // Every province's plan sets its communes' deadline; the Ministry's sets the provinces'. One moment for all.
        // Time to issue the 35 plans and for Reporting and Notification to learn the deadlines (checked below).
        var due = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(45 + provinces.Count / 2).ToUnixTimeSeconds());
        var dueText = due.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var deadlines = new Dictionary<string, string> { [period] = dueText };
        foreach (var province in provinces)
            await api.IssuePlanAsync(province, 2026, $"{province}/KH-CAT-PV01", deadlines, ["PT1S"]);
        await api.IssuePlanAsync("BCA", 2026, "01/KH-BCA-V05", deadlines, ["PT1S"]);
        // The measurement starts with both services ready: Reporting knows every deadline, and Notification has planned
        // every unit's schedule for it (a notice planned after its moment has passed is not sent).
        var expectedDeadlines = twoTier.Count + provinces.Count;
        var dueSql = $"'{due.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'";
        await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"),
            $"SELECT count(*) FROM unit_deadlines WHERE period = '{period}' AND due_at = {dueSql}") >= expectedDeadlines,
            due - DateTimeOffset.UtcNow, $"Reporting has the {expectedDeadlines} deadlines of {period} before they pass");
        await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(platform.ConnectionStringOf("notification"),
            $"SELECT count(*) FROM unit_schedules WHERE period = '{period}' AND deadline_at = {dueSql}") >= expectedDeadlines,
            due - DateTimeOffset.UtcNow, $"Notification has planned the {expectedDeadlines} schedules of {period} before the deadline passes");

        var submitted = await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"),
            $"SELECT count(*) FROM reports WHERE period = '{period}' AND status IN ('Submitted', 'Accepted') AND NOT consolidated");
        var missingCommunes = twoTier.Count - submitted;
        var expectedClosings = provinces.Count + 1;
        var expectedOverdue = missingCommunes + provinces.Count;   // the provinces' own reports are not in either
        var expectedNotices = expectedOverdue + expectedClosings;  // overdue notices and one "period closed" per level
        var expectedEmails = expectedOverdue + provinces.Count;    // the Ministry level has no contact point here
        log($"deadline {dueText}: {submitted} communes submitted; waiting for {expectedClosings} closings, {expectedNotices} notices, {expectedEmails} e-mails");

        var wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait - TimeSpan.FromMilliseconds(Math.Min(300, wait.TotalMilliseconds)));
        // Where the close's time goes: each process's CPU and PostgreSQL's statements over the close (profile only).
        var profiled = await StatementProfile.ResetAsync();
        var cpuBefore = MachineCpu.Read(platform);
        wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var started = Stopwatch.GetTimestamp();
        double? closingsDone = null, noticesDone = null, emailsDone = null;
        long closings = 0, notices = 0, emails = 0;
        var notification = platform.ConnectionStringOf("notification");
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(3) && (closingsDone is null || noticesDone is null || emailsDone is null))
        {
            closings = await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"), $"SELECT count(*) FROM period_closings WHERE period = '{period}'");
            notices = await Sql.ScalarAsync<long>(notification, $"SELECT count(*) FROM notices WHERE period = '{period}' AND kind IN ('overdue', 'periodClosed') AND status = 'sent'");
            emails = await Sql.ScalarAsync<long>(notification, $"""
                SELECT count(*) FROM deliveries d JOIN notices n ON n.id = d.notice_id
                WHERE n.period = '{period}' AND n.kind IN ('overdue', 'periodClosed') AND d.channel = 'email' AND d.status = 'delivered'
                """);
            var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (closingsDone is null && closings >= expectedClosings) closingsDone = at;
            if (noticesDone is null && notices >= expectedNotices) noticesDone = at;
            if (emailsDone is null && emails >= expectedEmails) emailsDone = at;
            await Task.Delay(100);
        }

        var cpuMs = MachineCpu.PerOperation(cpuBefore, MachineCpu.Read(platform), 1);
        var statements = profiled
            ? await StatementProfile.TopAsync(StatementProfile.DatabasesOf(platform, "reporting", "notification"), Math.Max(1, notices))
            : [];
        log($"close: CPU ms in all per process: {string.Join(", ", cpuMs.Select(c => $"{c.Key} {c.Value}"))}");
        foreach (var row in statements) log($"  pg: {row.service} {row.calls_per_op} calls, {row.exec_ms_per_op} ms per notice: {row.query}");
        var inbox = smtp.Messages().Count(m => m.Subject?.Length > 0);
        log($"closings {closings}/{expectedClosings} after {closingsDone:F1} s, notices {notices}/{expectedNotices} after {noticesDone:F1} s, e-mails {emails}/{expectedEmails} delivered after {emailsDone:F1} s; {inbox} messages at the SMTP server in all");
        // All three, or none: a part that never finished leaves the measurement without a figure.
        double? seconds = closingsDone is { } c && noticesDone is { } n && emailsDone is { } m ? Math.Max(c, Math.Max(n, m)) : null;
        emit(new
        {
            name = "close",
            ours = seconds is null ? (double?)null : Math.Round(seconds.Value, 2),
            seconds = seconds is null ? (double?)null : Math.Round(seconds.Value, 2),
            units = $"seconds from the national deadline of {period} passing until every level is closed ({expectedClosings}: 34 provinces and the Ministry, {twoTier.Count} communes, {submitted} submitted) and every notice is sent ({expectedNotices}: overdue to each missing unit, 'period closed' to each level) and e-mailed ({expectedEmails} e-mails delivered to a real SMTP server); closing looks for due deadlines every 1 s here (Closing:PollInterval, 30 s by default)",
            closings_done_s = closingsDone,
            notices_sent_s = noticesDone,
            emails_delivered_s = emailsDone,
            closings,
            notices,
            emails,
            timed_out = seconds is null,
            cpu_ms_in_all = cpuMs,
            pg_statements_per_notice = statements,
        });
    }
}
