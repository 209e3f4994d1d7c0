using System.Net.Mail;
using System.Text.RegularExpressions;
using Antq.ServiceDefaults;

namespace Antq.Identity.Api.Domain;

/// <summary>What a new account must satisfy. Messages are shown to officers as they are, hence Vietnamese.</summary>
public static partial class UserRules
{
    public const int MinPasswordLength = 10;
    public const int MaxFullNameLength = 200;
    public const int MaxEmailLength = 254;

    /// <summary>Admin, ProvinceOfficer, DistrictOfficer, CommuneOfficer, Viewer: the platform's roles, spelt as in tokens.</summary>
    public static IReadOnlyList<string> Roles => AntqRoles.All;

    /// <summary>
    /// Checks a new account's fields. Keys are the request's field names (camelCase), as clients see them; an empty
    /// result means the account may be created.
    /// </summary>
    public static Dictionary<string, string[]> ValidateNewUser(
        string? userName, string? password, string? fullName, string? role, string? orgUnitCode, string? email)
    {
        var errors = new Dictionary<string, string[]>();

        if (string.IsNullOrWhiteSpace(userName))
            errors["username"] = ["Tên đăng nhập là bắt buộc."];
        else if (!UserNamePattern().IsMatch(userName))
            errors["username"] = ["Tên đăng nhập phải dài từ 3 đến 50 ký tự, chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -"];

        if (string.IsNullOrEmpty(password))
            errors["password"] = ["Mật khẩu là bắt buộc."];
        else if (!IsStrongPassword(password))
            errors["password"] = [$"Mật khẩu phải có ít nhất {MinPasswordLength} ký tự, gồm cả chữ cái và chữ số."];

        if (string.IsNullOrWhiteSpace(fullName))
            errors["fullName"] = ["Họ và tên là bắt buộc."];
        else if (fullName.Trim().Length > MaxFullNameLength)
            errors["fullName"] = [$"Họ và tên không được dài quá {MaxFullNameLength} ký tự."];
        else if (fullName.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            errors["fullName"] = ["Họ và tên không được chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản."];

        if (string.IsNullOrWhiteSpace(role))
            errors["role"] = ["Vai trò là bắt buộc."];
        else if (!Roles.Contains(role))
            errors["role"] = [$"Vai trò phải là một trong các giá trị: {string.Join(", ", Roles)}."];

        if (string.IsNullOrWhiteSpace(orgUnitCode))
            errors["orgUnitCode"] = ["Mã đơn vị là bắt buộc."];
        else if (!OrgUnitCodePattern().IsMatch(orgUnitCode.Trim()))
            errors["orgUnitCode"] = ["Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -, tối đa 50 ký tự."];

        if (!string.IsNullOrWhiteSpace(email) && !IsEmail(email.Trim()))
            errors["email"] = ["Địa chỉ email không hợp lệ."];

        return errors;
    }

    public static bool IsStrongPassword(string password) =>
        password.Length >= MinPasswordLength && password.Any(char.IsLetter) && password.Any(char.IsDigit);

    static bool IsEmail(string email) =>
        email.Length <= MaxEmailLength
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.Host.Contains('.');

    [GeneratedRegex("^[A-Za-z0-9._-]{3,50}\\z")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,50}\\z")]
    private static partial Regex OrgUnitCodePattern();
}
