using System.CommandLine;

namespace Antq.Cli.Commands;

/// <summary>
/// <c>antq periods export CODE PERIOD</c>: a unit's roll-up of a period written to a file — the consolidated workbook
/// by subordinate unit (<c>xlsx</c>) or the Word report in the style of Nghị định 30/2020/NĐ-CP (<c>docx</c>) — from
/// the closing's snapshot, or from the live figures with <c>--live</c> before the period is closed (Reporting).
/// </summary>
public static class PeriodCommands
{
    public static Command Build(CliEnvironment environment)
    {
        var periods = new Command("periods", "Kỳ báo cáo: xuất tổng hợp của kỳ ra tệp");
        var code = new Argument<string>("code") { Description = "Mã đơn vị tổng hợp (tỉnh, xã, …)" };
        var period = new Argument<string>("period") { Description = "Kỳ báo cáo: YYYY-H1 hoặc YYYY-Y" };
        var format = new Option<string>("--format") { Description = "xlsx (bảng tổng hợp, mặc định) hoặc docx (văn bản báo cáo)", DefaultValueFactory = _ => "xlsx" };
        format.AcceptOnlyFromAmong("xlsx", "docx");
        var live = new Option<bool>("--live") { Description = "Lấy số liệu trực tiếp (kỳ chưa khoá sổ); mặc định lấy bản chốt khi khoá sổ" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Tệp ghi ra; mặc định tên tệp nền tảng đặt, trong thư mục hiện tại" };
        var export = new Command("export", "Xuất tổng hợp của đơn vị trong kỳ ra tệp Excel hoặc Word") { code, period, format, live, output };
        export.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var unit = context.Parse.GetValue(code)!;
            var periodCode = CommandContext.Period(context.Parse.GetValue(period)!);
            var kind = context.Parse.GetValue(format)!;
            context.Environment.Error.WriteLine($"Đang xuất tổng hợp {periodCode} của đơn vị {unit} ({kind})…");
            var wantedLive = context.Parse.GetValue(live);
            var file = await context.Api.Reporting.DownloadRollupExportAsync(unit, periodCode, kind, wantedLive ? "live" : null, ct);
            // The platform says which figures it wrote: before the period is closed there is no snapshot, and it gives the live ones.
            var source = file.Header("X-Antq-Figures") ?? (wantedLive ? "live" : "snapshot");
            if (!wantedLive && source == "live")
                context.Environment.Error.WriteLine($"Kỳ {periodCode} chưa khóa sổ tại đơn vị {unit}: chưa có số liệu chốt, tệp ghi số liệu trực tiếp.");
            var path = context.Parse.GetValue(output)?.FullName
                       ?? Path.GetFullPath(file.FileName is { Length: > 0 } name ? Path.GetFileName(name) : $"tong-hop-{unit}-{periodCode}.{kind}");
            await Files.WriteAsync(path, file.Content, ct);
            context.Output.Show(new { file = path, bytes = file.Content.Length, contentType = file.ContentType, unit, period = periodCode, source },
                () => context.Output.Line($"Đã ghi {Output.Number(file.Content.Length)} byte vào {path}."));
            return ExitCodes.Done;
        }));
        periods.Subcommands.Add(export);
        return periods;
    }
}
