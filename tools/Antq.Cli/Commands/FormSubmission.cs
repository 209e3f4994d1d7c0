using Antq.Client;

namespace Antq.Cli.Commands;

/// <summary>One form's outcome, as <c>--json</c> prints it: <c>status</c> is the report's after submission, or null with the error.</summary>
public sealed record FormResult(string File, string? Unit, string? UnitName, string? Period, string? Status, int? Version, int? HttpStatus, IReadOnlyList<string> Errors);

/// <summary>
/// <c>antq reports submit --xlsx FORM…</c>: each filled Excel form (the one <c>reports template</c> downloads) is
/// uploaded — Reporting reads it with the checks of the form, naming a wrong cell — and the saved report is then
/// submitted at the version the upload answered. The unit and period come from the form itself (cells B3 and B4), so a
/// province office can send a folder of its communes' forms in one command. A refused form does not stop the others;
/// the exit code tells a script whether all went through (0), some were refused by the platform (1) or some files could
/// not be read (2).
/// </summary>
public static class FormSubmission
{
    public static async Task<int> RunAsync(CommandContext context, FileInfo[] forms, string? code, string? period, CancellationToken ct)
    {
        if (forms.Length > 1 && (code is not null || period is not null))
            throw new CliException("Với nhiều biểu mẫu, mã đơn vị và kỳ được đọc trong từng biểu mẫu: đừng cho MÃ KỲ.", ExitCodes.WrongInput);
        var progress = new Progress(context.Environment.Error, forms.Length, Progress.IsTerminal(context.Environment.Error));
        var results = new List<FormResult>();
        foreach (var form in forms)
        {
            var result = await SubmitOneAsync(context, form, code, period is null ? null : CommandContext.Period(period), ct);
            results.Add(result);
            progress.Step(result.Status is null ? $"{form.Name}: lỗi" : $"{form.Name}: {result.Unit} {Output.ReportStatus(result.Status)}");
        }

        context.Output.Show(results, () =>
        {
            var done = results.Count(r => r.Status is not null);
            context.Output.Line($"Đã nộp {done}/{results.Count} biểu mẫu.");
            context.Output.Table(["Tệp", "Mã", "Đơn vị", "Kỳ", "Kết quả"],
                results.Select(r => (IReadOnlyList<string?>)[r.File, r.Unit, r.UnitName, r.Period,
                    r.Status is null ? "lỗi: " + r.Errors.FirstOrDefault() : $"{Output.ReportStatus(r.Status)} (phiên bản {r.Version})"]));
        });
        foreach (var failed in results.Where(r => r.Status is null))
        {
            await context.Environment.Error.WriteLineAsync($"{failed.File}:");
            foreach (var line in failed.Errors) await context.Environment.Error.WriteLineAsync("  " + line);
        }

        return results.Any(r => r.HttpStatus is not null && r.Status is null) ? ExitCodes.Refused
            : results.Any(r => r.Status is null) ? ExitCodes.WrongInput
            : ExitCodes.Done;
    }

    static async Task<FormResult> SubmitOneAsync(CommandContext context, FileInfo form, string? code, string? period, CancellationToken ct)
    {
        string? unit = code;
        string? periodCode = period;
        try
        {
            if (!form.Exists) throw new CliException($"Không có tệp {form.FullName}.", ExitCodes.WrongInput);
            var sheet = Workbook.Read(form.FullName);
            unit ??= sheet["B3"];
            periodCode ??= sheet["B4"] is { } written ? CommandContext.Period(written) : null;
            if (unit is null || periodCode is null)
                throw new CliException("Biểu mẫu không ghi mã đơn vị (ô B3) hoặc kỳ báo cáo (ô B4): hãy dùng biểu mẫu tải bằng antq reports template.", ExitCodes.WrongInput);

            var bytes = await File.ReadAllBytesAsync(form.FullName, ct);
            var saved = await context.Api.Reporting.UploadReportFormFileAsync(unit, periodCode, bytes, ct);
            var submitted = await context.Api.Reporting.SubmitReportAsync(unit, periodCode, Antq.Client.Reporting.ReportingClient.IfMatchOf(saved.Version), cancellationToken: ct);
            return new FormResult(form.Name, unit, submitted.OrgUnit.Name, periodCode, submitted.Status, submitted.Version, 200, []);
        }
        catch (CliException ex)
        {
            return new FormResult(form.Name, unit, null, periodCode, null, null, null, ["Lỗi: " + ex.Message, .. ex.Details]);
        }
        catch (IOException ex)
        {
            return new FormResult(form.Name, unit, null, periodCode, null, null, null, [$"Lỗi: không đọc được tệp: {ex.Message}"]);
        }
        catch (ApiException ex) when (ex.StatusCode is not 401 and < 500)
        {
            return new FormResult(form.Name, unit, null, periodCode, null, null, ex.StatusCode, AntqCli.Refusal(ex));
        }
    }
}
