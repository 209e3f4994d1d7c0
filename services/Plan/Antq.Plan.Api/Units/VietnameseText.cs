using System.Globalization;
using System.Text;

namespace Antq.Plan.Api.Units;

/// <summary>Vietnamese names compared and searched without diacritics: "Ngọc Liên" and "ngoc lien" are the same key.</summary>
public static class VietnameseText
{
    /// <summary>Removes diacritics, maps đ to d, lower-cases, turns punctuation into spaces and collapses spaces.</summary>
    public static string Normalize(string text) => Keys(text).Plain;

    /// <summary>
    /// The name lower-cased with its tones kept, tone marks placed the new way ("hoà" → "hòa"), punctuation as spaces:
    /// tells "Thanh Tân" from "Thành Tân". Has the same length as <see cref="Normalize"/>, character for character.
    /// </summary>
    public static string Accented(string text) => Keys(text).Accented;

    static readonly (string Old, string New)[] TonePlacement =
    [
        ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
        ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
        ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"),
    ];

    public static (string Plain, string Accented) Keys(string text)
    {
        var composed = text.Normalize(NormalizationForm.FormC);
        var plain = new StringBuilder(composed.Length);
        var accented = new StringBuilder(composed.Length);
        var space = true;
        foreach (var c in composed)
        {
            var lower = char.ToLowerInvariant(c);
            var stripped = StripMarks(lower);
            if (char.IsLetterOrDigit(stripped))
            {
                plain.Append(stripped);
                accented.Append(lower);
                space = false;
            }
            else if (!space)
            {
                plain.Append(' ');
                accented.Append(' ');
                space = true;
            }
        }

        var a = accented.ToString().TrimEnd();
        foreach (var (o, n) in TonePlacement) a = a.Replace(o, n, StringComparison.Ordinal);
        return (plain.ToString().TrimEnd(), a);
    }

    static char StripMarks(char c)
    {
        if (c == 'đ') return 'd';
        if (c < 128) return c;
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        foreach (var d in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark) return d;
        }

        return c;
    }
}
