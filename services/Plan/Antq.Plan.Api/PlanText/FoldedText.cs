using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.PlanText;

/// <summary>
/// A plan's text folded for matching: lower case, no diacritics (đ → d), curly quotes straight, every run of
/// whitespace one space. Text scanned without diacritics and text with
/// them then read the same. Every folded character remembers where it came from, so a match in the folded copy
/// gives a span in the text as it was given.
/// <para>
/// OCR text is folded further, so that the reader's patterns need no noisy spellings (see <see cref="Of(string, IReadOnlySet{string}?)"/>):
/// look-alikes of letters are mapped back (€ → e, &amp; → a, w → u everywhere, since Vietnamese has no w; 6 → o and
/// 1 → l inside a word, I → l next to a lower-case letter); spaces OCR put inside numbers and document codes are
/// dropped ("12 /KH- UBND" → "12/kh-ubnd", "8 7,5%" → "87,5%", "2 022" → "2022"); and a word OCR broke in two is
/// joined again when the two pieces make a word the reader looks for ("ho ach" → "hoach") but are not both such
/// words themselves. The mapping is one folded character per original one or fewer, so spans stay exact.
/// </para>
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

    /// <summary>One pass over the text: each character folded through a table, then one pass for OCR look-alikes and
    /// broken spacing (linear in the text's length). <paramref name="keywords"/>: the folded words the reader looks
    /// for, which broken words are joined into (none: no joining).</summary>
    public static FoldedText Of(string original, IReadOnlySet<string>? keywords = null)
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

        Repair(original, folded, origin, keywords);
        return new FoldedText(original, new string(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(folded)), [.. origin]);
    }

    static bool IsLetter(char c) => c is >= 'a' and <= 'z';

    static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary>The OCR repairs, in place: look-alike digits and letters first, then the spaces to drop.</summary>
    static void Repair(string original, List<char> folded, List<int> origin, IReadOnlySet<string>? keywords)
    {
        var n = folded.Count;
        // 6 → o and 1 → l inside a word ("c6ng", "S6:", "1ên"), never next to another digit ("16h", "PV01").
        // I → l next to a lower-case letter ("Iên"), so that "I." and "II" stay headings.
        // O → 0 and l or I → 1 inside a number ("2O2l", "O2"): next to a digit and to no letter.
        for (var i = 0; i < n; i++)
        {
            var c = folded[i];
            if (c is not ('6' or '1' or 'i' or 'o' or 'l')) continue;
            var before = i > 0 ? folded[i - 1] : ' ';
            var after = i + 1 < n ? folded[i + 1] : ' ';
            if (c is 'o' or 'l' or 'i' && (IsDigit(before) || IsDigit(after)) && !IsLetter(before) && !IsLetter(after)
                && original[origin[i]] is 'O' or 'o' or 'l' or 'I')
            {
                folded[i] = c == 'o' ? '0' : '1';
                continue;
            }

            if (c is 'o' or 'l') continue;
            if (c == 'i')
            {
                if (original[origin[i]] == 'I' && (LowerLetterAt(original, folded, origin, i - 1) || LowerLetterAt(original, folded, origin, i + 1))) folded[i] = 'l';
                continue;
            }

            if (IsDigit(before) || IsDigit(after) || !(IsLetter(before) || IsLetter(after))) continue;
            folded[i] = c == '6' ? 'o' : 'l';
        }

        // Spaces to drop: between digits (a number of at most 4 digits in all), around / between letters or digits,
        // around - between codes (digits or capitals), and inside a broken word.
        var write = 0;
        var tokenStart = 0; // start (in the written part) of the run of letters being written
        for (var read = 0; read < n; read++)
        {
            var c = folded[read];
            if (c == ' ' && write > 0 && read + 1 < n && Drop(original, folded, origin, write, read, tokenStart, keywords))
                continue;
            if (!IsLetter(c)) tokenStart = write + 1;
            folded[write] = c;
            origin[write] = origin[read];
            write++;
        }

        folded.RemoveRange(write, n - write);
        origin.RemoveRange(write, n - write);
    }

    /// <summary>Whether the space at <paramref name="read"/> goes; the text before it is already written up to <paramref name="write"/>.</summary>
    static bool Drop(string original, List<char> folded, List<int> origin, int write, int read, int tokenStart, IReadOnlySet<string>? keywords)
    {
        var left = folded[write - 1];
        var right = folded[read + 1];
        if (IsDigit(left) && IsDigit(right))
        {
            // A number of at most 4 digits; after a separator ("15/1 2", "22/12/20 21") a day, month or the year of
            // a date, so that "15/6 2024" stays two numbers.
            var leftDigits = 0;
            for (var j = write - 1; j >= 0 && IsDigit(folded[j]); j--) leftDigits++;
            var digits = leftDigits;
            for (var j = read + 1; j < folded.Count && IsDigit(folded[j]); j++) digits++;
            var separator = write - 1 - leftDigits;
            if (separator < 0 || folded[separator] is not ('/' or '.' or ',' or '-')) return digits <= 4;
            if (digits <= 2) return true;
            // The year after "dd/mm/": a separator, one or two digits, the same separator before the run.
            var k = separator - 1;
            var middle = 0;
            while (k >= 0 && IsDigit(folded[k])) { k--; middle++; }
            return digits == 4 && middle is 1 or 2 && k >= 0 && folded[k] == folded[separator];
        }

        bool Alnum(char c) => IsLetter(c) || IsDigit(c);
        if (right == '/' && Alnum(left)) return true;
        if (left == '/' && Alnum(right) && write >= 2 && Alnum(folded[write - 2])) return true;
        if (left == '-' && write >= 2 && CodeChar(original, folded, origin, write - 2) && CodeChar(original, folded, origin, read + 1)) return true;
        if (right == '-' && read + 2 < folded.Count && CodeChar(original, folded, origin, write - 1) && CodeChar(original, folded, origin, read + 2)) return true;

        if (keywords is null || !IsLetter(left) || !IsLetter(right)) return false;
        var end = read + 1;
        while (end < folded.Count && IsLetter(folded[end])) end++;
        if (end < folded.Count && IsDigit(folded[end])) return false;
        var first = new string(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(folded)[tokenStart..write]);
        var second = new string(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(folded)[(read + 1)..end]);
        if (first.Length + second.Length > 8) return false;
        return keywords.Contains(first + second) && !(keywords.Contains(first) && keywords.Contains(second));
    }

    /// <summary>A letter of the folded text not written as a capital (a lower-case letter or a look-alike: €, 6).</summary>
    static bool LowerLetterAt(string original, List<char> folded, List<int> origin, int i) =>
        i >= 0 && i < origin.Count && (IsLetter(folded[i]) || folded[i] is '6' or '1') && !char.IsUpper(original[origin[i]]);

    /// <summary>A character of a document code: a digit, or a letter written as a capital.</summary>
    static bool CodeChar(string original, List<char> folded, List<int> origin, int i) =>
        IsDigit(folded[i]) || (IsLetter(folded[i]) && char.IsUpper(original[origin[i]]));

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
            // OCR look-alikes: € for ê, & for à, w for ư (Vietnamese writes no w).
            case '€': yield return 'e'; yield break;
            case '&': yield return 'a'; yield break;
            case 'w' or 'W': yield return 'u'; yield break;
            case '“' or '”' or '„' or '‟' or '″' or '«' or '»': yield return '"'; yield break;
            case '‘' or '’' or '‚' or '‛': yield return '\''; yield break;
            case '–' or '—' or '‐' or '‑' or '−': yield return '-'; yield break;
        }

        // Digits of other scripts (०, ١, fullwidth １) are read as the digits they are.
        if (c >= 128 && CharUnicodeInfo.GetDecimalDigitValue(c) is var digit and >= 0)
        {
            yield return (char)('0' + digit);
            yield break;
        }

        if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
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
