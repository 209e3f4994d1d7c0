using System.Globalization;
using System.Text;

namespace Antq.Plan.Api.Domain.Units;

/// <summary>Vietnamese names compared and searched without diacritics: "Ngọc Liên" and "ngoc lien" are the same key.</summary>
public static class VietnameseText
{
    /// <summary>Removes diacritics, maps đ to d, lower-cases, turns punctuation into spaces and collapses spaces.</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = true;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var ch = c is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(c);
            if (char.IsLetterOrDigit(ch))
            {
                builder.Append(ch);
                space = false;
            }
            else if (!space)
            {
                builder.Append(' ');
                space = true;
            }
        }

        return builder.ToString().TrimEnd();
    }
}
