using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.Domain.PlanText;

/// <summary>
/// A plan's text folded for matching: lower case, no diacritics (đ → d), curly quotes straight, every run of
/// whitespace one space. Text scanned without diacritics and text with
/// them then read the same. Every folded character remembers where it came from, so a match in the folded copy
/// gives a span in the text as it was given.
/// </summary>
public sealed partial class FoldedText
{
    readonly int[] origin;

    FoldedText(string original, string lines, int[] origin)
    {
        Original = original;
        Lines = lines;
        Value = lines.Replace('\n', ' ');
        this.origin = origin;
    }

    public string Original { get; }

    /// <summary>The folded copy: every whitespace run one space.</summary>
    public string Value { get; }

    /// <summary>The same with a line break where the run had one (for list items and headings); same offsets.</summary>
    public string Lines { get; }

    /// <summary>One pass over the text: each character folded through a table (so linear in the text's length).</summary>
    public static FoldedText Of(string original)
    {
        var folded = new List<char>(original.Length);
        var origin = new List<int>(original.Length);
        for (var i = 0; i < original.Length; i++)
        {
            var c = original[i];
            if (char.IsWhiteSpace(c))
            {
                if (folded.Count > 0 && folded[^1] is ' ' or '\n')
                {
                    if (c == '\n') folded[^1] = '\n';
                }
                else
                {
                    folded.Add(c == '\n' ? '\n' : ' ');
                    origin.Add(i);
                }

                continue;
            }

            foreach (var d in FoldedChar(c))
            {
                folded.Add(d);
                origin.Add(i);
            }
        }

        return new FoldedText(original, new string(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(folded)), [.. origin]);
    }

    /// <summary>What each UTF-16 code unit folds to, filled as characters are first met.</summary>
    static readonly string?[] FoldTable = new string?[char.MaxValue + 1];

    static string FoldedChar(char c) => FoldTable[c] ??= new string([.. FoldChar(c)]);

    /// <summary>Folds a short phrase the same way (for patterns and comparisons).</summary>
    public static string Fold(string text) => Of(text).Value;

    static IEnumerable<char> FoldChar(char c)
    {
        switch (c)
        {
            case 'đ' or 'Đ': yield return 'd'; yield break;
            case '“' or '”' or '„' or '‟' or '″' or '«' or '»': yield return '"'; yield break;
            case '‘' or '’' or '‚' or '‛': yield return '\''; yield break;
            case '–' or '—' or '‐' or '‑' or '−': yield return '-'; yield break;
        }

        if (char.IsSurrogate(c))
        {
            yield return c;
            yield break;
        }

        if (c < 128)
        {
            yield return char.ToLowerInvariant(c);
            yield break;
        }

        foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(d);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) continue;
            yield return d is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(d);
        }
    }

    /// <summary>The span of the original text that the folded range [start, end) came from, with any combining marks after it.</summary>
    public TextSpan Span(int start, int end)
    {
        if (end <= start) return new TextSpan(origin.Length > 0 && start < origin.Length ? origin[start] : Original.Length, 0, "");
        var from = origin[start];
        var to = origin[end - 1] + 1;
        while (to < Original.Length && CharUnicodeInfo.GetUnicodeCategory(Original[to]) == UnicodeCategory.NonSpacingMark) to++;
        return new TextSpan(from, to - from, Original[from..to]);
    }

    /// <summary>The original text of the folded range, cleaned for display (see <see cref="Clean"/>).</summary>
    public string Text(int start, int end) => Clean(Span(start, end).Snippet);

    /// <summary>The original character behind a folded position (to tell capitals and diacritics apart).</summary>
    public char OriginalAt(int foldedIndex) => Original[origin[foldedIndex]];

    /// <summary>
    /// Text from a PDF as a person would write it: tone marks that the PDF put on the wrong letter ("thưc̣ hiêṇ",
    /// "trâṭ tư”̣") moved back onto their vowel, NFC, whitespace collapsed, curly double quotes straight.
    /// </summary>
    public static string Clean(string text)
    {
        var decomposed = RepairMarks(text.Normalize(NormalizationForm.FormD)).Normalize(NormalizationForm.FormC);
        var collapsed = Whitespace().Replace(decomposed, " ").Trim();
        return collapsed.Replace('“', '"').Replace('”', '"');
    }

    const string ShapeMarks = "\u0302\u0306\u031B"; // circumflex, breve, horn: part of the vowel letter
    const string ToneMarks = "\u0300\u0301\u0303\u0309\u0323";

    /// <summary>
    /// Builds the result left to right: a tone mark that does not follow its vowel moves back (at most five places,
    /// after the vowel's shape marks) or, with no vowel in reach, is dropped. Each move shifts at most a few
    /// characters, so this stays linear in the length of the text.
    /// </summary>
    static string RepairMarks(string decomposed)
    {
        var chars = new char[decomposed.Length];
        var n = 0;
        foreach (var c in decomposed)
        {
            if (!ToneMarks.Contains(c)) { chars[n++] = c; continue; }
            var baseIndex = n - 1;
            while (baseIndex >= 0 && ShapeMarks.Contains(chars[baseIndex])) baseIndex--;
            if (baseIndex >= 0 && IsVowel(chars[baseIndex])) { chars[n++] = c; continue; }

            // Walk back over at most a few consonants, spaces and quotes to the vowel the mark belongs to.
            var target = -1;
            for (var j = n - 1; j >= 0 && j >= n - 5; j--)
            {
                if (IsVowel(chars[j])) { target = j; break; }
                if (char.IsDigit(chars[j])) break;
            }

            if (target < 0) continue;
            var insertAt = target + 1;
            while (insertAt < n && ShapeMarks.Contains(chars[insertAt])) insertAt++;
            Array.Copy(chars, insertAt, chars, insertAt + 1, n - insertAt);
            chars[insertAt] = c;
            n++;
        }

        return new string(chars, 0, n);
    }

    static bool IsVowel(char c) => "aeiouyAEIOUY".Contains(c);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
