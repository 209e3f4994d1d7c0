using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.Deadlines;

/// <summary>
/// ISO 8601 durations of weeks, days, hours, minutes and seconds, with an optional sign: "-P7D", "P1D", "PT12H",
/// "P1W". Years and months are refused: their length varies, and a reminder must be exact.
/// </summary>
public static partial class IsoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var match = text is null ? Match.Empty : Pattern().Match(text.Trim());
        if (!match.Success || !(match.Groups["w"].Success || match.Groups["d"].Success || match.Groups["h"].Success || match.Groups["m"].Success || match.Groups["s"].Success)) return false;
        // "P1DT" (a T with nothing after it) is not a duration.
        if (match.Groups["t"].Success && !(match.Groups["h"].Success || match.Groups["m"].Success || match.Groups["s"].Success)) return false;
        try
        {
            var value = TimeSpan.FromDays(7 * Number(match, "w") + Number(match, "d"))
                + TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "m")) + TimeSpan.FromSeconds(Number(match, "s"));
            duration = match.Groups["sign"].Value == "-" ? value.Negate() : value;
            return duration.Duration() <= TimeSpan.FromDays(366);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The shortest form: -7 days → "-P7D", 36 hours → "P1DT12H", zero → "PT0S".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero) return "PT0S";
        var builder = new StringBuilder();
        if (duration < TimeSpan.Zero) builder.Append('-');
        var value = duration.Duration();
        builder.Append('P');
        if (value.Days > 0) builder.Append(value.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        if (value.Hours > 0 || value.Minutes > 0 || value.Seconds > 0)
        {
            builder.Append('T');
            if (value.Hours > 0) builder.Append(value.Hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            if (value.Minutes > 0) builder.Append(value.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            if (value.Seconds > 0) builder.Append(value.Seconds.ToString(CultureInfo.InvariantCulture)).Append('S');
        }

        return builder.ToString();
    }

    static long Number(Match match, string group) =>
        match.Groups[group].Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?<sign>[+-])?P(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,4})D)?(?<t>T(?:(?<h>\d{1,5})H)?(?:(?<m>\d{1,6})M)?(?:(?<s>\d{1,8})S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
