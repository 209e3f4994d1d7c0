using System.Net.Mail;
using System.Text.RegularExpressions;
using Antq.ServiceDefaults;

namespace Antq.Identity.Api.Users;

/// <summary>What an account and its password must satisfy. Messages are shown to officers as they are, hence Vietnamese.</summary>
public static partial class UserRules
{
    public const int MinPasswordLength = 10;
    /// <summary>Long enough for any passphrase; hashing megabytes on request is not a service this platform offers.</summary>
    public const int MaxPasswordLength = 128;
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

        Add(errors, "password", PasswordError(password, userName));
        Add(errors, "fullName", FullNameError(fullName));
        Add(errors, "role", RoleError(role));
        Add(errors, "orgUnitCode", OrgUnitCodeError(orgUnitCode));
        Add(errors, "email", EmailError(email));
        return errors;
    }

    /// <summary>Checks the fields a change of an account sends; a field left out (null) is not changed and not checked.</summary>
    public static Dictionary<string, string[]> ValidateChange(string? fullName, string? role, string? orgUnitCode, string? email)
    {
        var errors = new Dictionary<string, string[]>();
        if (fullName is not null) Add(errors, "fullName", FullNameError(fullName));
        if (role is not null) Add(errors, "role", RoleError(role));
        if (orgUnitCode is not null) Add(errors, "orgUnitCode", OrgUnitCodeError(orgUnitCode));
        if (email is not null) Add(errors, "email", EmailError(email));
        return errors;
    }

    /// <summary>
    /// The password rules: <see cref="MinPasswordLength"/> to <see cref="MaxPasswordLength"/> characters with letters and digits, not containing the
    /// user name, not one of the passwords every guessing list starts with. Null when <paramref name="password"/> passes.
    /// </summary>
    public static string? PasswordError(string? password, string? userName)
    {
        if (string.IsNullOrEmpty(password)) return "Mật khẩu là bắt buộc.";
        if (!IsStrongPassword(password)) return $"Mật khẩu phải có ít nhất {MinPasswordLength} ký tự, gồm cả chữ cái và chữ số.";
        if (password.Length > MaxPasswordLength) return $"Mật khẩu không được dài quá {MaxPasswordLength} ký tự.";
        if (!string.IsNullOrWhiteSpace(userName) && password.Contains(userName.Trim(), StringComparison.OrdinalIgnoreCase))
            return "Mật khẩu không được chứa tên đăng nhập.";
        if (CommonPasswords.Contains(LettersAndDigits(password)))
            return "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn một mật khẩu khác.";
        return null;
    }

    public static bool IsStrongPassword(string password) =>
        password.Length >= MinPasswordLength && password.Any(char.IsLetter) && password.Any(char.IsDigit);

    /// <summary>
    /// Passwords of ten characters or more with letters and digits that lists of leaked passwords put near the top,
    /// Vietnamese ones among them, compared by their letters and digits only, case aside ("Password@123" is "password123").
    /// </summary>
    static readonly HashSet<string> CommonPasswords = new(StringComparer.Ordinal)
    {
        "password123", "password1234", "password12345", "passw0rd123", "p4ssw0rd123", "qwerty123456", "qwertyuiop1",
        "1qaz2wsx3edc", "zaq12wsxcde3", "abc1234567", "abcd123456", "abc123456789", "a123456789", "a1234567890",
        "123456789a", "1234567890a", "1234567890q", "iloveyou123", "admin12345", "admin123456", "administrator1",
        "welcome123", "welcome1234", "letmein1234", "matkhau123", "matkhau1234", "matkhau12345", "matkhaumoi123",
        "vietnam123", "vietnam1234", "hanoi123456", "saigon123456", "congan12345", "congan123456", "anninh12345",
        "antq123456", "baomat12345", "quantri12345", "123456abcdef", "abcdef123456",
    };

    static string LettersAndDigits(string password) =>
        new([.. password.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    static string? FullNameError(string? fullName) =>
        string.IsNullOrWhiteSpace(fullName) ? "Họ và tên là bắt buộc."
        : fullName.Trim().Length > MaxFullNameLength ? $"Họ và tên không được dài quá {MaxFullNameLength} ký tự."
        : fullName.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            ? "Họ và tên không được chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản."
        : null;

    static string? RoleError(string? role) =>
        string.IsNullOrWhiteSpace(role) ? "Vai trò là bắt buộc."
        : !Roles.Contains(role) ? $"Vai trò phải là một trong các giá trị: {string.Join(", ", Roles)}."
        : null;

    static string? OrgUnitCodeError(string? orgUnitCode) =>
        string.IsNullOrWhiteSpace(orgUnitCode) ? "Mã đơn vị là bắt buộc."
        : !OrgUnitCodePattern().IsMatch(orgUnitCode.Trim()) ? "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -, tối đa 50 ký tự."
        : null;

    /// <summary>No e-mail (null, empty) is allowed; one that is given must be an address.</summary>
    static string? EmailError(string? email) =>
        !string.IsNullOrWhiteSpace(email) && !IsEmail(email.Trim()) ? "Địa chỉ email không hợp lệ." : null;

    static void Add(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null) errors[field] = [error];
    }

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
