using System.Text.RegularExpressions;

namespace Antq.Plan.Api.PlanText;

/// <summary>
/// Reads the plain text of a plan (Kế hoạch) into a draft: number, date, issuing body and its level, year, the
/// documents it implements, report deadlines per period, the date for implementing plans, where reports go, and
/// numeric targets mapped to catalogue indicators, each with the span it came from. Matching runs on a folded copy
/// (no diacritics, one space per whitespace run) so that PDF text with broken lines and OCR text without diacritics
/// read alike; values are cut from the original text. What it does not find stays empty.
/// <para>
/// OCR text reads too: the folded copy maps look-alike letters and digits back, drops spaces OCR put inside numbers
/// and codes, and joins words OCR broke into the words the reader's own patterns use (see <see cref="FoldedText"/>).
/// </para>
/// <para>
/// Time and refusals: every step is linear (or n log n) in the text's length; <c>bench plantext</c> measures 2 MB.
/// The only exceptions are the documented refusals: <see cref="ArgumentNullException"/> for a null text or catalogue,
/// and <see cref="ArgumentOutOfRangeException"/> for a text longer than <see cref="MaxLength"/> characters. Unpaired
/// UTF-16 surrogates and the noncharacters U+FFFE and U+FFFF (which Unicode normalisation refuses) are read as
/// U+FFFD (same offsets; a span's snippet then shows U+FFFD there).
/// </para>
/// </summary>
public static partial class PlanTextReader
{
    /// <summary>The longest text read (characters): 4 Mi, four times the largest body the API accepts (1 MB).</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    public static PlanDraft Read(string text, IReadOnlyList<CatalogueIndicator> catalogue)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxLength, nameof(text));
        text = WithoutInvalidCharacters(text);
        var t = FoldedText.Of(text, Keywords(catalogue));
        var layout = Layout.Of(t.Lines);
        var bounds = ClauseBounds(t.Lines, layout);

        var issuedOn = ReadIssuedOn(t, layout, out var place);
        var issuer = ReadIssuer(t, layout, out var issuerSegment);
        var year = ReadYear(t, layout, issuerSegment, issuedOn);
        var deadlines = ReadDeadlines(t, bounds, year?.Value ?? issuedOn?.Value.Year);

        return new PlanDraft
        {
            Number = ReadNumber(t, layout),
            IssuedOn = issuedOn,
            Place = place,
            IssuerName = issuer,
            IssuerLevel = issuerSegment is { } seg ? ReadLevel(t, seg.Start, seg.End) : null,
            Year = year,
            ParentReferences = ReadParents(t, layout, issuerSegment),
            Deadlines = deadlines.Periods,
            ImplementingPlansDue = deadlines.ImplementingPlans,
            ReportTo = ReadReportTo(t, bounds, deadlines.PeriodMarkers),
            Targets = ReadTargets(t, bounds, catalogue, year?.Value),
        };
    }

    // ---------------------------------------------------------------- layout

    /// <summary>
    /// Where the title ("KẾ HOẠCH ... năm 2024"), the opening paragraph (Thực hiện / Căn cứ ...) and the first
    /// section ("I. MỤC ĐÍCH, YÊU CẦU") start in the folded text.
    /// </summary>
    sealed record Layout(int TitleStart, int TitleEnd, int PreambleStart, int BodyStart)
    {
        public bool HasTitle => TitleEnd > TitleStart;

        public static Layout Of(string s)
        {
            var heading = FirstHeading().Match(s);
            var bodyStart = heading.Success ? heading.Index : Math.Min(s.Length, 3000);
            var cue = PreambleCue().Match(s, 0, bodyStart);
            var preambleStart = cue.Success ? cue.Groups["cue"].Index : 0;
            var title = TitleWord().Match(s, 0, Math.Max(preambleStart, Math.Min(bodyStart, 600)));
            if (title.Success && (!cue.Success || title.Index < preambleStart))
            {
                // Without an opening paragraph the title ends with the line that names its year.
                var titleEnd = cue.Success ? preambleStart : Math.Min(s.Length, title.Index + 400);
                if (!cue.Success && YearWords().Match(s, title.Index, titleEnd - title.Index) is { Success: true } year)
                {
                    // To the end of that line, if it ends soon (a text without line breaks has no title line).
                    var lineEnd = s.IndexOf('\n', year.Index + year.Length, Math.Min(200, s.Length - year.Index - year.Length));
                    titleEnd = lineEnd < 0 ? Math.Min(s.Length, year.Index + year.Length + 200) : lineEnd + 1;
                }

                var start = cue.Success ? preambleStart : titleEnd;
                return new Layout(title.Index, titleEnd, start, Math.Max(bodyStart, start));
            }

            return new Layout(0, 0, preambleStart, bodyStart);
        }
    }

    [GeneratedRegex(@"(?:^|\n)\s*i\s*\.\s")]
    private static partial Regex FirstHeading();

    [GeneratedRegex(@"(?:^|\n|[.;]\s)\s*(?<cue>(?:thuc hien|can cu|thi hanh|trien khai)\s+(?:theo\s+)?(?:ke hoach|nghi quyet|chuong trinh|chi thi|ket luan|huong dan|cong van|quyet dinh|luat|nghi dinh|thong tu|van ban|chuc nang|de an|thong bao|chi dao|y kien)|can cu\b)")]
    private static partial Regex PreambleCue();

    [GeneratedRegex(@"(?:^|\n)\s*ke hoach\b")]
    private static partial Regex TitleWord();

    /// <summary>The text with unpaired surrogates, U+FFFE and U+FFFF replaced by U+FFFD, so that it can be normalised.</summary>
    public static string WithoutInvalidCharacters(string text)
    {
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF')) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            copy ??= text.ToCharArray();
            copy[i] = '\uFFFD';
        }

        return copy is null ? text : new string(copy);
    }

    // ---------------------------------------------------------------- clauses

    /// <summary>Ends of sentences and clauses (". ", "; ") and starts of list items ("\n- ", "\n(3) ", "\n2.1. ").</summary>
    [GeneratedRegex(@"[.;!?](?=\s|$)|\n(?=\s*(?:[-+•*]\s|\(\d+\)\s|\d+(?:\.\d+)*\.\s|[ivx]+\.\s|[a-z]\)\s))")]
    private static partial Regex ClauseBound();

    static List<int> ClauseBounds(string s, Layout layout)
    {
        var set = new SortedSet<int> { 0, layout.PreambleStart, layout.BodyStart };
        if (layout.HasTitle) set.Add(layout.TitleEnd);
        foreach (Match m in ClauseBound().Matches(s)) set.Add(m.Index + m.Length);
        return [.. set];
    }

    static int PreviousBound(List<int> bounds, int position)
    {
        var i = Index(bounds, position);
        return i >= 0 ? bounds[i] : bounds[~i - 1];
    }

    static int NextBound(List<int> bounds, int position, int length)
    {
        var i = Index(bounds, position);
        var next = i >= 0 ? i + 1 : ~i;
        return next < bounds.Count ? Math.Max(position, bounds[next] - 1) : length;
    }

    /// <summary>Binary search in the sorted bounds (which always start with 0).</summary>
    static int Index(List<int> bounds, int position) => bounds.BinarySearch(position);

    /// <summary>The last of the items (in text order, not overlapping) that ends by <paramref name="position"/>: a binary search.</summary>
    static T? LastEndingBy<T>(List<T> items, Func<T, int> end, int position) where T : class
    {
        int lo = 0, hi = items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (end(items[mid]) <= position) lo = mid + 1; else hi = mid;
        }

        return lo > 0 ? items[lo - 1] : null;
    }

    static bool FollowedByWord(string s, int at)
    {
        while (at < s.Length && s[at] is ' ' or '\n' or '"') at++;
        return at < s.Length && s[at] is >= 'a' and <= 'z';
    }

    /// <summary>The first of the numbers (in text order) that starts at or after <paramref name="position"/>.</summary>
    static Number? FirstStartingFrom(List<Number> numbers, int position)
    {
        int lo = 0, hi = numbers.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (numbers[mid].Start < position) lo = mid + 1; else hi = mid;
        }

        return lo < numbers.Count ? numbers[lo] : null;
    }

    static int LastBoundary(string s, int before, string pattern)
    {
        var last = 0;
        foreach (Match m in Regex.Matches(s[..before], pattern)) last = m.Index + m.Length;
        return last;
    }

    [GeneratedRegex(@"\G(?:[-+•*]|\(\d+\)|\d+(?:\.\d+)*\.)\s")]
    private static partial Regex ListMark();

    /// <summary>Whether the word <paramref name="word"/> ends right before <paramref name="at"/> (spaces between allowed), looking back only as far as needed.</summary>
    static bool EndsWithWord(string s, int at, string word)
    {
        var end = at;
        while (end > 0 && char.IsWhiteSpace(s[end - 1])) end--;
        return end >= word.Length && s.AsSpan(end - word.Length, word.Length).SequenceEqual(word);
    }

    /// <summary>Skips spaces, list marks ("- ", "+ ", "(3) ") and stray punctuation at the start of a clause.</summary>
    static int SkipLead(string s, int at)
    {
        while (true)
        {
            while (at < s.Length && (char.IsWhiteSpace(s[at]) || s[at] is ',' or ';' or ':' or '.')) at++;
            var mark = ListMark().Match(s, at);
            if (!mark.Success) return at;
            at += mark.Length;
        }
    }
}
