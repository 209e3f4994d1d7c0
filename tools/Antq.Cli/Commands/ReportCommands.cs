using System.CommandLine;
using System.Text.Json;
using Antq.Client;
using Antq.Client.Reporting;

namespace Antq.Cli.Commands;

/// <summary><c>antq reports show</c> and <c>antq reports submit</c>: a unit's report of a period (Reporting).</summary>
public static class ReportCommands
{
    public static Command Build(CliEnvironment environment)
    {
        var reports = new Command("reports", "Báo cáo của đơn vị theo kỳ: xem, nộp từ tệp");
        var code = new Argument<string>("code") { Description = "Mã đơn vị" };
        var period = new Argument<string>("period") { Description = "Kỳ báo cáo: YYYY-H1 (sơ kết 6 tháng) hoặc YYYY-Y (tổng kết năm)" };

        var show = new Command("show", "Xem báo cáo: trạng thái, hạn nộp, số liệu theo chỉ tiêu") { code, period };
        show.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var periodCode = CommandContext.Period(context.Parse.GetValue(period)!);
            var report = await context.Api.Reporting.GetReportAsync(context.Parse.GetValue(code)!, periodCode, ct);
            if (context.Output.Json)
            {
                context.Output.Show(report, () => { });
                return ExitCodes.Done;
            }

            var catalogue = await context.Api.Reporting.GetIndicatorsAsync(periodCode, ct);
            Describe(context.Output, report);
            var values = Values(report.Values);
            context.Output.Line();
            context.Output.Table(["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị", "Đơn vị tính"],
                catalogue.Indicators.Where(i => values.ContainsKey(i.Code))
                    .Select(i => (IReadOnlyList<string?>)[i.Code, i.Name, Output.Number(values[i.Code]), i.Unit])
                    .Concat(values.Keys.Except(catalogue.Indicators.Select(i => i.Code)).Select(c => (IReadOnlyList<string?>)[c, "", Output.Number(values[c]), ""])));
            return ExitCodes.Done;
        }));

        var file = new Option<FileInfo?>("--file", "-f")
        {
            Description = "Tệp số liệu: CSV (mã chỉ tiêu, giá trị; dấu phẩy hoặc chấm phẩy, như Excel lưu \"CSV UTF-8\") hoặc JSON ({\"values\": {…}, \"narrative\": {…}})",
        };
        var xlsx = new Option<FileInfo[]>("--xlsx", "-x")
        {
            Description = "Một hay nhiều biểu mẫu Excel đã điền (tải bằng antq reports template); mã đơn vị và kỳ đọc trong biểu mẫu",
            AllowMultipleArgumentsPerToken = true,
        };
        var optionalCode = new Argument<string?>("code") { Description = "Mã đơn vị (không cần với --xlsx: đọc trong biểu mẫu)", Arity = ArgumentArity.ZeroOrOne };
        var optionalPeriod = new Argument<string?>("period") { Description = "Kỳ báo cáo: YYYY-H1 hoặc YYYY-Y (không cần với --xlsx)", Arity = ArgumentArity.ZeroOrOne };
        var submit = new Command("submit", "Nộp báo cáo lên cấp trên: với số liệu trong tệp (--file), hoặc từ biểu mẫu Excel đã điền (--xlsx, nhiều tệp một lần)") { optionalCode, optionalPeriod, file, xlsx };
        submit.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var forms = context.Parse.GetValue(xlsx) ?? [];
            var dataFile = context.Parse.GetValue(file);
            if (forms.Length > 0 && dataFile is not null)
                throw new CliException("Chỉ dùng một trong hai: --file (tệp số liệu) hoặc --xlsx (biểu mẫu Excel).", ExitCodes.WrongInput);
            if (forms.Length > 0)
                return await FormSubmission.RunAsync(context, forms, context.Parse.GetValue(optionalCode), context.Parse.GetValue(optionalPeriod), ct);
            if (dataFile is null)
                throw new CliException("Hãy cho tệp số liệu (--file TỆP) hoặc biểu mẫu Excel (--xlsx TỆP…).", ExitCodes.WrongInput);
            if (context.Parse.GetValue(optionalCode) is not { Length: > 0 } unit || context.Parse.GetValue(optionalPeriod) is not { Length: > 0 } periodText)
                throw new CliException("Với --file hãy cho mã đơn vị và kỳ: antq reports submit MÃ KỲ --file TỆP.", ExitCodes.WrongInput);
            var periodCode = CommandContext.Period(periodText);
            var path = dataFile.FullName;
            if (!File.Exists(path)) throw new CliException($"Không có tệp {path}.", ExitCodes.WrongInput);
            var figures = ValuesFile.Read(path);

            // An existing report (a draft, a returned one, a consolidated draft) is submitted at the version read now,
            // so that a change made meanwhile by someone else is refused (412) rather than overwritten.
            var existing = await ExistingAsync(context.Api.Reporting, unit, periodCode, ct);
            var catalogue = await context.Api.Reporting.GetIndicatorsAsync(periodCode, ct);
            var body = new SaveReportRequest
            {
                Values = figures.For(catalogue.Indicators.Where(i => i.ValueType == "boolean").Select(i => i.Code).ToHashSet(StringComparer.Ordinal)),
                Narrative = figures.Narrative is null ? existing?.Narrative : new Dictionary<string, string>(figures.Narrative),
            };
            var submitted = await context.Api.Reporting.SubmitReportAsync(
                unit, periodCode, existing is null ? null : ReportingClient.IfMatchOf(existing.Version), body, ct);

            context.Output.Show(submitted, () =>
            {
                context.Output.Line($"Đã nộp {Antq.Calendar.ReportingPeriod.Parse(periodCode).ReportName} của {submitted.OrgUnit.Name} ({submitted.OrgUnit.Code}): {figures.Values.Count} chỉ tiêu.");
                Describe(context.Output, submitted);
            });
            return ExitCodes.Done;
        }));

        var output = new Option<FileInfo?>("--output", "-o") { Description = "Tệp ghi ra; mặc định bao-cao-MÃ-KỲ.xlsx trong thư mục hiện tại" };
        var template = new Command("template", "Tải biểu mẫu Excel của báo cáo (điền sẵn số liệu đã lưu) để điền rồi nộp bằng --xlsx") { code, period, output };
        template.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var unit = context.Parse.GetValue(code)!;
            var periodCode = CommandContext.Period(context.Parse.GetValue(period)!);
            var form = await context.Api.Reporting.DownloadReportTemplateAsync(unit, periodCode, ct);
            var path = context.Parse.GetValue(output)?.FullName ?? Path.GetFullPath($"bao-cao-{unit}-{periodCode}.xlsx");
            await Files.WriteAsync(path, form.Content, ct);
            context.Output.Show(new { file = path, bytes = form.Content.Length, contentType = form.ContentType },
                () => context.Output.Line($"Đã ghi biểu mẫu {Antq.Calendar.ReportingPeriod.Parse(periodCode).ReportName} của đơn vị {unit} vào {path}."));
            return ExitCodes.Done;
        }));

        reports.Subcommands.Add(show);
        reports.Subcommands.Add(submit);
        reports.Subcommands.Add(template);
        return reports;
    }

    internal static async Task<ReportResponse?> ExistingAsync(ReportingClient reporting, string unit, string period, CancellationToken ct)
    {
        try
        {
            return await reporting.GetReportAsync(unit, period, ct);
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            return null;
        }
    }

    internal static void Describe(Output output, ReportResponse report)
    {
        output.Line($"Đơn vị:      {report.OrgUnit.Name} ({report.OrgUnit.Code})");
        output.Line($"Kỳ:          {report.Period}");
        output.Line($"Trạng thái:  {Output.ReportStatus(report.Status)} (phiên bản {report.Version})");
        if (report.DueAt is { } due) output.Line($"Hạn nộp:     {Antq.Calendar.DueDate.Describe(due)}");
        if (report.SubmittedAt is { } at)
            output.Line($"Đã nộp lúc:  {Output.Date(at)} bởi {report.SubmittedBy}{report.OnTime switch { true => ", đúng hạn", false => ", muộn", null => "" }}");
        if (report.ReturnReason is { Length: > 0 } reason) output.Line($"Lý do trả lại: {reason}");
    }

    /// <summary>The report's values by indicator code (the document types them as a free-form object).</summary>
    static Dictionary<string, decimal?> Values(object? values)
    {
        var result = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        if (values is not System.Text.Json.JsonElement { ValueKind: JsonValueKind.Object } element) return result;
        foreach (var member in element.EnumerateObject())
            result[member.Name] = member.Value.ValueKind == JsonValueKind.Number ? member.Value.GetDecimal() : null;
        return result;
    }
}
