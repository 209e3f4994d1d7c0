using System.Text;

namespace Antq.Plan.Api.PlanText;

/// <summary>Spelling of names of bodies as the unit lists write them.</summary>
public static class VietnameseNames
{
    /// <summary>
    /// Puts tone marks where current spelling puts them in open syllables ending in oa, oe, uy: "Uỷ" → "Ủy",
    /// "hoà" → "hòa", "khoẻ" → "khỏe" (but "quý", "hoàn" stay), so that an issuer's name matches the unit lists.
    /// </summary>
    public static string ModernTones(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++) words[i] = ModernWord(words[i]);
        return string.Join(' ', words);
    }

    static string ModernWord(string word)
    {
        var d = word.Normalize(NormalizationForm.FormD);
        var letters = new string([.. d.Where(char.IsLetter)]).ToLowerInvariant();
        if (letters.StartsWith("qu", StringComparison.Ordinal) || letters.StartsWith("gi", StringComparison.Ordinal)) return word;
        // Find the last two vowels; they must end the word (allowing trailing punctuation).
        var chars = d.ToList();
        var lastLetter = chars.FindLastIndex(char.IsLetter);
        if (lastLetter < 1) return word;
        var second = char.ToLowerInvariant(chars[lastLetter]);
        var tone = lastLetter + 1 < chars.Count && IsTone(chars[lastLetter + 1]) ? lastLetter + 1 : -1;
        if (tone < 0 || second is not ('a' or 'e' or 'y')) return word;
        var firstIndex = lastLetter - 1;
        var first = char.ToLowerInvariant(chars[firstIndex]);
        if (!((first == 'o' && second is 'a' or 'e') || (first == 'u' && second == 'y'))) return word;
        var mark = chars[tone];
        chars.RemoveAt(tone);
        chars.Insert(firstIndex + 1, mark);
        return new string([.. chars]).Normalize(NormalizationForm.FormC);
    }

    static bool IsTone(char c) => c is '\u0300' or '\u0301' or '\u0303' or '\u0309' or '\u0323';
}
