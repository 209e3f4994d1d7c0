namespace Antq.Classification.Api;

/// <summary>
/// Settings (section <c>Classification</c>) whose regulation figure could not be confirmed; the defaults are the
/// documented ones and an administrator must confirm them.
/// </summary>
public sealed class ClassificationOptions
{
    /// <summary>Day (MM-dd) the annual data window ends (thời gian chốt số liệu): the unit tree of that day is used. Default 12-14.</summary>
    public string HierarchyDate { get; set; } = "12-14";

    /// <summary>Last day (MM-dd) of safe-standard registration (đăng ký, first quarter). Default 03-31.</summary>
    public string SafeRegistrationCloses { get; set; } = "03-31";

    public DateOnly HierarchyDateOf(int year) => Day(year, HierarchyDate);

    public DateOnly RegistrationLastDay(int year) => Day(year, SafeRegistrationCloses);

    static DateOnly Day(int year, string monthDay)
    {
        var parts = monthDay.Split('-');
        return new DateOnly(year, int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
