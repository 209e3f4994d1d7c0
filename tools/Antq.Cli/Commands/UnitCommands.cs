using System.CommandLine;
using Antq.Client.Plan;

namespace Antq.Cli.Commands;

/// <summary><c>antq units list</c> and <c>antq units show</c>: the unit tree as the account may see it (Plan).</summary>
public static class UnitCommands
{
    public static Command Build(CliEnvironment environment)
    {
        var units = new Command("units", "Đơn vị: tìm, xem, liệt kê đơn vị trực thuộc");

        var search = new Option<string?>("--search", "-s") { Description = "Tìm theo tên hoặc mã, không phân biệt dấu" };
        var parent = new Option<string?>("--parent", "-p") { Description = "Liệt kê các đơn vị trực thuộc đơn vị có mã này" };
        var kind = new Option<string?>("--kind") { Description = "Loại đơn vị (Province, Commune, ResidentialArea, …)" };
        var asOf = new Option<string?>("--as-of") { Description = "Ngày xem dữ liệu (YYYY-MM-DD); mặc định hôm nay" };
        var limit = new Option<int?>("--limit") { Description = "Số kết quả tối đa" };
        var list = new Command("list", "Liệt kê đơn vị: tìm theo tên (--search) hoặc các đơn vị trực thuộc (--parent)") { search, parent, kind, asOf, limit };
        list.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var parse = context.Parse;
            if (parse.GetValue(parent) is { Length: > 0 } parentCode)
            {
                var children = await context.Api.Plan.GetOrgUnitChildrenAsync(parentCode, parse.GetValue(asOf), ct);
                var shown = children.Children.Where(c => parse.GetValue(kind) is not { Length: > 0 } k || string.Equals(c.Kind, k, StringComparison.OrdinalIgnoreCase)).ToList();
                context.Output.Show(children, () =>
                {
                    context.Output.Line($"{children.Unit.Name} ({children.Unit.Code}): {shown.Count} đơn vị trực thuộc");
                    Table(context.Output, shown);
                });
                return ExitCodes.Done;
            }

            var found = await context.Api.Plan.SearchOrgUnitsAsync(parse.GetValue(search), parse.GetValue(asOf), parse.GetValue(kind), parse.GetValue(limit), ct);
            context.Output.Show(found, () =>
            {
                context.Output.Line($"{found.Units.Count} đơn vị");
                Table(context.Output, found.Units);
            });
            return ExitCodes.Done;
        }));

        var code = new Argument<string>("code") { Description = "Mã đơn vị (ví dụ 38 Thanh Hóa, 14758 Phường Hàm Rồng)" };
        var show = new Command("show", "Xem một đơn vị: tên, loại, đơn vị cấp trên, hiệu lực") { code, asOf };
        show.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var unit = await context.Api.Plan.GetOrgUnitAsync(context.Parse.GetValue(code)!, context.Parse.GetValue(asOf), ct);
            context.Output.Show(unit, () =>
            {
                context.Output.Line($"Mã:          {unit.Code}");
                context.Output.Line($"Tên:         {unit.Name}");
                context.Output.Line($"Loại:        {unit.Kind}{(unit.CommuneKind is { } ck ? $" ({ck})" : "")}");
                context.Output.Line($"Cấp trên:    {unit.ParentCode ?? "(không có)"}");
                context.Output.Line($"Hiệu lực:    từ {Output.Day(unit.ValidFrom)}{(unit.ValidTo is { } to ? $" đến {Output.Day(to)}" : "")}");
                if (unit.Path is { Count: > 0 } path) context.Output.Line($"Trực thuộc:  {string.Join(" › ", path.Select(p => p.Name))}");
            });
            return ExitCodes.Done;
        }));

        var file = new Argument<FileInfo>("file") { Description = "Tệp danh sách đơn vị: CSV (code,name,kind,parentCode, như Excel lưu \"CSV UTF-8\"), Excel .xlsx (4 cột đó ở trang đầu), hoặc JSON dvhc" };
        var effectiveFrom = new Option<string?>("--effective-from") { Description = "Ngày có hiệu lực (YYYY-MM-DD); mặc định hôm nay cho CSV/Excel, theo định dạng cho JSON dvhc" };
        var import = new Command("import", "Nhập danh sách đơn vị dưới cấp xã (tổ dân phố, cơ quan, doanh nghiệp, trường học, …) từ tệp CSV hoặc Excel (quản trị)") { file, effectiveFrom };
        import.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var path = context.Parse.GetValue(file)!.FullName;
            var date = context.Parse.GetValue(effectiveFrom);
            if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", out _))
                throw new CliException($"Ngày hiệu lực \"{date}\" không hợp lệ: cần dạng YYYY-MM-DD.", ExitCodes.WrongInput);
            var (body, contentType, rows) = UnitFile.Read(path);
            Progress.Note(context.Environment.Error, $"Đang nhập {Output.Number(rows)} dòng từ {Path.GetFileName(path)}…");
            var result = await context.Api.Plan.ImportOrgUnitsFileAsync(body, contentType, date, ct);
            context.Output.Show(result, () =>
            {
                context.Output.Line($"Đã nhập {Path.GetFileName(path)} ({result.Format}), hiệu lực từ {Output.Day(result.EffectiveFrom)}: {Output.Number(result.UnitsInFile)} đơn vị trong tệp.");
                context.Output.Table(["Tạo mới", "Đóng", "Không đổi", "Thời gian (ms)"],
                    [[Output.Number(result.Created), Output.Number(result.Closed), Output.Number(result.Unchanged), Output.Number((int)result.ElapsedMilliseconds)]]);
                if (result.ByKind is { Count: > 0 } byKind)
                {
                    context.Output.Line();
                    context.Output.Table(["Loại đơn vị", "Tạo mới", "Đóng", "Không đổi"],
                        byKind.Select(k => (IReadOnlyList<string?>)[k.Key, Output.Number(k.Value.Created), Output.Number(k.Value.Closed), Output.Number(k.Value.Unchanged)]));
                }
            });
            return ExitCodes.Done;
        }));

        units.Subcommands.Add(list);
        units.Subcommands.Add(show);
        units.Subcommands.Add(import);
        return units;
    }

    static void Table(Output output, IEnumerable<OrgUnitResponse> units) =>
        output.Table(["Mã", "Tên", "Loại", "Cấp trên"], units.Select(u => (IReadOnlyList<string?>)[u.Code, u.Name, u.Kind, u.ParentCode]));
}
