using System.Security.Claims;
using Antq.Calendar;
using Antq.Classification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Classification.Api.Units;

public sealed record OrgUnitRef(string Code, string Name);

/// <summary>Problems, scope checks and formatting shared by the Classification APIs.</summary>
static class ApiSupport
{
    static readonly string[] OfficerRoles = [AntqRoles.ProvinceOfficer, AntqRoles.DistrictOfficer, AntqRoles.CommuneOfficer];

    public static ProblemHttpResult? CheckYear(int year) =>
        year is < 2020 or > 2100 ? Problem(400, $"Năm {year} không hợp lệ (từ 2020 đến 2100).", "year") : null;

    public static ProblemHttpResult UnknownUnit(string code, int year, DateOnly date) =>
        Problem(404, $"Không tìm thấy đơn vị có mã {code} vào ngày {VietnamTime.Date(date)} (ngày chốt số liệu năm {year}).", "code");

    public static string Who(this ClaimsPrincipal user) => user.UserName() ?? user.UserId() ?? "?";

    static bool IsOfficerOf(ClaimsPrincipal user, string? code) =>
        code is not null && OfficerRoles.Any(user.IsInRole) && user.OrgUnitCode() == code;

    /// <summary>The unit's own scores and registration: an officer of the unit; an administrator.</summary>
    public static bool MayActFor(ClaimsPrincipal user, YearUnit target) => user.IsInRole(AntqRoles.Admin) || IsOfficerOf(user, target.Unit.Code);

    /// <summary>Approving (điểm duyệt, recognition): an officer of the level directly above at the year's hierarchy date; an administrator.</summary>
    public static bool MayApprove(ClaimsPrincipal user, YearUnit target) => user.IsInRole(AntqRoles.Admin) || IsOfficerOf(user, target.Unit.ParentCode);

    /// <summary>Reading: the account's unit and its subtree; an administrator everything.</summary>
    public static ProblemHttpResult? CheckRead(ClaimsPrincipal user, YearUnit target)
    {
        if (user.IsInRole(AntqRoles.Admin)) return null;
        var own = user.OrgUnitCode();
        if (own is not null && (own == target.Unit.Code || target.Ancestors.Any(a => a.Code == own))) return null;
        return Problem(403, $"Tài khoản của bạn không được xem kết quả phân loại của đơn vị {target.Unit.Name} ({target.Unit.Code}); chỉ được xem đơn vị mình và các đơn vị trực thuộc.");
    }

    public static ProblemHttpResult? CheckAdmin(ClaimsPrincipal user) =>
        user.IsInRole(AntqRoles.Admin) ? null : Problem(403, "Chỉ quản trị viên mới được ban hành bảng chấm điểm và bộ tiêu chí.");
}
