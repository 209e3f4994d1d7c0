using System.Globalization;
using System.Text.RegularExpressions;
using Antq.Calendar;

namespace Antq.Plan.Api.Domain.PlanText;

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

    // ---------------------------------------------------------------- number, date, year

    const string SymbolPattern = @"\d{1,5}(?:\s*[-/]\s*[a-z0-9]+)+";

    [GeneratedRegex(@"\bso\s*[:.]?\s*(?<symbol>" + SymbolPattern + ")")]
    private static partial Regex NumberLine();

    static Found<string>? ReadNumber(FoldedText t, Layout layout)
    {
        var m = NumberLine().Match(t.Value, 0, layout.PreambleStart > 0 ? layout.PreambleStart : layout.TitleEnd);
        if (!m.Success) return null;
        var symbol = Regex.Replace(t.Text(m.Groups["symbol"].Index, m.Groups["symbol"].Index + m.Groups["symbol"].Length), @"\s+", "");
        var isPlan = layout.HasTitle || Regex.IsMatch(symbol, @"(^|[-/])KH([-/]|$)", RegexOptions.IgnoreCase);
        return new Found<string>((isPlan ? "Kế hoạch số " : "Số ") + symbol, t.Span(m.Index, m.Index + m.Length));
    }

    [GeneratedRegex(@"\bngay\s*(?<d>\d{1,2})\s*(?:thang\s*(?<m>\d{1,2})\s*nam|[/.-]\s*(?<m>\d{1,2})\s*[/.-])\s*(?<y>\d{4})\b")]
    private static partial Regex FullDate();

    static Found<DateOnly>? ReadIssuedOn(FoldedText t, Layout layout, out Found<string>? place)
    {
        place = null;
        var end = layout.PreambleStart > 0 ? layout.PreambleStart : layout.TitleEnd;
        foreach (Match m in FullDate().Matches(t.Value[..end]))
        {
            if (!TryDate(m.Groups["d"].Value, m.Groups["m"].Value, m.Groups["y"].Value, null, out var date)) continue;
            place = ReadPlace(t, m.Index);
            return new Found<DateOnly>(date, t.Span(m.Index, m.Index + m.Length));
        }

        return null;
    }

    /// <summary>"Nghĩa Sơn, ngày 15 tháng 01 năm 2025": the place is what the date line names before its comma.</summary>
    static Found<string>? ReadPlace(FoldedText t, int dateAt)
    {
        var s = t.Lines;
        var comma = dateAt - 1;
        while (comma >= 0 && s[comma] == ' ') comma--;
        if (comma < 0 || s[comma] != ',') return null;
        var start = comma;
        while (start > 0 && s[start - 1] != '\n' && comma - start < 60) start--;
        if (start > 0 && s[start - 1] != '\n') return null;
        while (start < comma && s[start] == ' ') start++;
        if (start >= comma || !char.IsUpper(t.OriginalAt(start))) return null;
        return new Found<string>(t.Text(start, comma), t.Span(start, comma));
    }

    [GeneratedRegex(@"\bnam\s+(?<y>(?:19|20)\d\d)\b")]
    private static partial Regex YearWords();

    static Found<int>? ReadYear(FoldedText t, Layout layout, (int Start, int End)? issuer, Found<DateOnly>? issuedOn)
    {
        // The title says it ("... năm 2024"); else the issuing sentence ("ban hành kế hoạch ... năm 2024"); else the date.
        if (layout.HasTitle && YearWords().Match(t.Value, layout.TitleStart, layout.TitleEnd - layout.TitleStart) is { Success: true } m)
            return new Found<int>(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), t.Span(m.Index, m.Index + m.Length));
        if (issuer is { } seg)
        {
            var from = seg.End;
            var length = Math.Min(250, t.Value.Length - from);
            if (YearWords().Match(t.Value, from, length) is { Success: true } y)
                return new Found<int>(int.Parse(y.Groups["y"].Value, CultureInfo.InvariantCulture), t.Span(y.Index, y.Index + y.Length));
        }

        return issuedOn is null ? null : new Found<int>(issuedOn.Value.Year, issuedOn.Span);
    }

    // ---------------------------------------------------------------- issuer

    [GeneratedRegex(@"\b(?:ban hanh|xay dung|de ra|trien khai)\s+(?:ke hoach|chuong trinh)\b")]
    private static partial Regex IssuingVerb();

    [GeneratedRegex(@"\b(?:ban chi dao|bcd|uy ban nhan dan|ubnd|cong an|dang uy|ban thuong vu|ban chap hanh|ban chi huy|hoi dong nhan dan|chu tich)\b")]
    private static partial Regex OrganisationHead();

    /// <summary>The body named right before "ban hành kế hoạch" / "xây dựng kế hoạch" in the opening paragraph.</summary>
    static Found<string>? ReadIssuer(FoldedText t, Layout layout, out (int Start, int End)? segment)
    {
        segment = null;
        var s = t.Value;
        var verbs = IssuingVerb().Matches(s[..layout.BodyStart]).Where(v => v.Index >= layout.PreambleStart).ToList();
        if (verbs.Count == 0) return null;
        var verb = verbs[^1];
        var sentenceStart = Math.Max(layout.PreambleStart, LastBoundary(t.Lines, verb.Index, @"[.;:](?=\s)|\n\s*[-+]\s"));
        Match? head = null;
        foreach (Match h in OrganisationHead().Matches(s[..verb.Index], sentenceStart))
        {
            // "... của Ủy ban nhân dân huyện X" names the parent's issuer, not this plan's.
            if (EndsWithWord(s, h.Index, "cua")) continue;
            head = h;
            break;
        }

        if (head is null) return null;
        var end = verb.Index;
        // A trailing "(viết gọn là Ban Chỉ đạo tỉnh)" / "(Ban Chỉ đạo tỉnh)" is a short name, not part of the name.
        var trailing = TrailingParenthesis().Match(s[head.Index..end]);
        if (trailing.Success) end = head.Index + trailing.Index;
        while (end > head.Index && (char.IsWhiteSpace(s[end - 1]) || s[end - 1] == ',')) end--;
        segment = (head.Index, end);

        var name = VietnameseNames.ModernTones(t.Text(head.Index, end));
        var locality = UnnamedLocality(t, head.Index, end);
        if (locality is not null) name += $" ({locality})";
        return new Found<string>(name, t.Span(head.Index, end));
    }

    [GeneratedRegex(@"\s*\([^()]*\)\s*$")]
    private static partial Regex TrailingParenthesis();

    /// <summary>
    /// "Ban chỉ đạo tỉnh về ..." names its level but not its place; the place is the one the text names with the
    /// same level word most often ("trên địa bàn tỉnh Bình Thuận").
    /// </summary>
    static string? UnnamedLocality(FoldedText t, int start, int end)
    {
        var s = t.Value;
        var levelWord = LevelWords().Matches(s[..end], start).FirstOrDefault(m => IsLevelWord(t, m, end));
        if (levelWord is null) return null;
        if (ProperNameAt(t, levelWord.Index + levelWord.Length, end) is not null) return null;
        var word = levelWord.Groups["w"].Value;
        var counts = new Dictionary<string, int>();
        foreach (Match m in Regex.Matches(s, $@"\b(?<w>{Regex.Escape(word)})\b"))
        {
            if (!IsLevelWord(t, m, s.Length)) continue;
            // Running text only: not "CHỦ TỊCH UBND TỈNH" over the signer's name, nor a level word ending a line.
            if (m.Index + m.Length >= s.Length || char.IsUpper(t.OriginalAt(m.Index)) || t.Lines[m.Index + m.Length] == '\n') continue;
            if (ProperNameAt(t, m.Index + m.Length, s.Length) is { } name)
                counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        if (counts.Count == 0) return null;
        var place = counts.OrderByDescending(c => c.Value).First().Key;
        return $"{FoldedText.Clean(t.Span(levelWord.Index, levelWord.Index + levelWord.Length).Snippet).ToLowerInvariant()} {place}";
    }

    /// <summary>First words (folded) of names of bodies and documents, which are not places.</summary>
    static readonly HashSet<string> NotPlaceWords = new(StringComparer.Ordinal)
    {
        "to", "nhan", "dang", "ban", "cong", "uy", "hoi", "phong", "so", "thuong", "nha", "chinh", "bo",
        "ke", "quoc", "trung", "van", "co", "doan", "mat", "luat", "chi", "nghi", "quyet", "thong", "tinh", "huyen", "xa",
    };

    /// <summary>The capitalised words right after a position ("Bình Thuận"), or null.</summary>
    static string? ProperNameAt(FoldedText t, int at, int limit) =>
        ProperName(t, at, limit) is { } words ? t.Text(words.Start, words.End) : null;

    /// <summary>Where the capitalised words right after a position end (folded offset), or null.</summary>
    static int? ProperNameEnd(FoldedText t, int at, int limit) => ProperName(t, at, limit)?.End;

    static (int Start, int End)? ProperName(FoldedText t, int at, int limit)
    {
        var s = t.Value;
        if (at >= limit || s[at] != ' ') return null;
        var words = new List<(int Start, int End)>();
        var i = at;
        while (i < limit && s[i] == ' ' && words.Count < 4)
        {
            var start = i + 1;
            var end = start;
            while (end < limit && char.IsLetter(s[end])) end++;
            if (end == start || !char.IsUpper(t.OriginalAt(start))) break;
            if (words.Count == 0 && NotPlaceWords.Contains(s[start..end])) break;
            words.Add((start, end));
            i = end;
        }

        return words.Count == 0 ? null : (words[0].Start, words[^1].End);
    }

    // ---------------------------------------------------------------- level

    [GeneratedRegex(@"\b(?<w>thi xa|thi tran|thanh pho|dac khu|tinh|huyen|quan|xa|phuong)\b")]
    private static partial Regex LevelWords();

    static readonly Dictionary<string, string> LevelForms = new()
    {
        ["thi xa"] = "thị xã", ["thi tran"] = "thị trấn", ["thanh pho"] = "thành phố", ["dac khu"] = "đặc khu",
        ["tinh"] = "tỉnh", ["huyen"] = "huyện", ["quan"] = "quận", ["xa"] = "xã", ["phuong"] = "phường",
    };

    /// <summary>Words that fold like a level word but are not one: "xã hội", "tình hình", "địa phương", "quân sự".</summary>
    [GeneratedRegex(@"^(?:xa hoi|tinh (?:hinh|than|chat|cach|trang|cam|thuc)|phuong (?:an|phap|thuc|tien|cham|huong|dien))\b")]
    private static partial Regex NotLevel();

    static bool IsLevelWord(FoldedText t, Match m, int limit)
    {
        var w = m.Groups["w"].Value;
        var original = FoldedText.Clean(t.Span(m.Index, m.Index + m.Length).Snippet).ToLowerInvariant();
        var hasDiacritics = original.Any(c => c > 127);
        // With its diacritics a word that folds like a level word may be another one ("tình", "quân"); OCR's
        // look-alikes ("huy€n", "huyén") are not those words and still count.
        if (hasDiacritics && OtherWords.Contains(original)) return false;
        if (NotLevel().IsMatch(t.Value.AsSpan(m.Index, Math.Min(Math.Min(limit, t.Value.Length) - m.Index, 24)))) return false;
        if (w == "phuong" && m.Index >= 4 && t.Value.AsSpan(m.Index - 4, 4).SequenceEqual("dia ")) return false;
        // Without diacritics "quan" is also quân / quản: only before a name or a number ("quan 1", "quan Ba Dinh").
        if (!hasDiacritics && w == "quan")
        {
            var next = m.Index + m.Length + 1;
            return next < t.Value.Length && t.Value[m.Index + m.Length] == ' ' && (char.IsDigit(t.Value[next]) || char.IsUpper(t.OriginalAt(next)));
        }

        return true;
    }

    /// <summary>Words with diacritics that fold like a level word but are not one.</summary>
    static readonly HashSet<string> OtherWords = new(StringComparer.Ordinal)
    {
        "tình", "tính", "tĩnh", "tịnh", "xà", "xá", "xạ", "xả", "quân", "quản", "quán", "phương", "phượng", "huyền", "huyễn",
    };

    static readonly string[] CentralCities = ["ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"];

    static Found<IssuerLevel>? ReadLevel(FoldedText t, int start, int end)
    {
        var s = t.Value;
        foreach (Match m in LevelWords().Matches(s[..end], start))
        {
            if (!IsLevelWord(t, m, end)) continue;
            var level = m.Groups["w"].Value switch
            {
                "tinh" => IssuerLevel.Province,
                "thanh pho" when CentralCities.Any(c => s.AsSpan(m.Index + m.Length).TrimStart().StartsWith(c)) => IssuerLevel.Province,
                "huyen" or "quan" or "thi xa" or "thanh pho" => IssuerLevel.District,
                _ => IssuerLevel.Commune,
            };
            return new Found<IssuerLevel>(level, t.Span(m.Index, m.Index + m.Length));
        }

        return null;
    }

    // ---------------------------------------------------------------- parent references

    [GeneratedRegex(@"\b(?:ke hoach|nghi quyet|chuong trinh|chi thi|ket luan|huong dan|cong van|quyet dinh|thong bao|de an)(?:\s+(?:lien tich|phoi hop|lien nganh))?\s+so\s*:?\s*(?<symbol>" + SymbolPattern + @")(?:\s*,?\s*ngay\s*(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?")]
    private static partial Regex DocumentReference();

    /// <summary>"của Ủy ban nhân dân huyện Phù Cừ": a People's Committee's numbers (.../KH-UBND) need its name to identify them.</summary>
    [GeneratedRegex(@"\G\s+cua\s+(?:uy ban nhan dan|ubnd)\s+(?:tinh|huyen|xa|phuong|thi tran|thi xa|thanh pho|quan|dac khu)(?=\s)")]
    private static partial Regex CommitteeIssuer();

    static IReadOnlyList<Found<string>> ReadParents(FoldedText t, Layout layout, (int Start, int End)? issuer)
    {
        var s = t.Value;
        var end = issuer?.Start ?? layout.BodyStart;
        if (end <= layout.PreambleStart) end = layout.BodyStart;
        var found = new List<Found<string>>();
        foreach (Match m in DocumentReference().Matches(s[..end], layout.PreambleStart))
        {
            var stop = m.Index + m.Length;
            var committee = CommitteeIssuer().Match(s, stop);
            if (committee.Success && ProperNameEnd(t, committee.Index + committee.Length, s.Length) is { } nameEnd) stop = nameEnd;

            var value = SymbolBreak().Replace(t.Text(m.Index, stop), "");
            found.Add(new Found<string>(value, t.Span(m.Index, stop)));
        }

        return found;
    }

    /// <summary>A PDF line break inside a document symbol ("43-\nKL/TW").</summary>
    [GeneratedRegex(@"(?<=\S[-/])\s+(?=[\p{Lu}0-9])")]
    private static partial Regex SymbolBreak();

    // ---------------------------------------------------------------- deadlines

    const string DayMonth = @"(?<d>\d{1,2})\s*(?:[/.-]\s*(?<m>\d{1,2})(?:\s*[/.-]\s*(?<y>\d{4}))?|\s+thang\s+(?<m>\d{1,2})(?:\s*,?\s*nam\s+(?<y>\d{4}))?)(?![\d/])";

    /// <summary>"trước ngày 15/6", "trước 05/11", "chậm nhất ngày 15 tháng 6 năm 2024".</summary>
    [GeneratedRegex(@"\b(?<kw>truoc|cham nhat|han chot|han cuoi)(?:\s+(?:la|vao))*\s*(?:ngay\s*)?" + DayMonth)]
    private static partial Regex DeadlineMarker();

    enum DeadlineKind { SixMonths, Year, ImplementingPlans }

    static readonly (Regex Pattern, DeadlineKind Kind)[] DeadlineWords =
    [
        (new Regex(@"\b(?:0?6|sau)\s+thang\b|\bso ket\b|\bgiua nam\b|\bnua nam\b|\bnua dau nam\b", RegexOptions.CultureInvariant), DeadlineKind.SixMonths),
        (new Regex(@"\btong ket\b|\b(?:0?1|mot)\s+nam\b|\b12\s+thang\b|\bca nam\b|\bbao cao nam\b|\bh[aă]ng nam\b", RegexOptions.CultureInvariant), DeadlineKind.Year),
        (new Regex(@"\bke hoach\b(?!\s+(?:nay|so)\b)", RegexOptions.CultureInvariant), DeadlineKind.ImplementingPlans),
    ];

    sealed record Deadlines(
        IReadOnlyDictionary<string, Found<DateOnly>> Periods,
        Found<DateOnly>? ImplementingPlans,
        IReadOnlyList<(int Start, int End)> PeriodMarkers);

    static Deadlines ReadDeadlines(FoldedText t, List<int> bounds, int? planYear)
    {
        var s = t.Value;
        var periods = new SortedDictionary<string, Found<DateOnly>>(StringComparer.Ordinal);
        Found<DateOnly>? implementing = null;
        var markers = new List<(int, int)>();
        var matches = DeadlineMarker().Matches(s).ToList();
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            var clauseStart = Math.Max(PreviousBound(bounds, m.Index), i > 0 ? matches[i - 1].Index + matches[i - 1].Length : 0);
            var clauseEnd = Math.Min(NextBound(bounds, m.Index + m.Length, s.Length), i + 1 < matches.Count ? matches[i + 1].Index : s.Length);
            var kind = NearestKind(s, Math.Max(clauseStart, m.Index - 200), m.Index, fromRight: true)
                ?? NearestKind(s, m.Index + m.Length, Math.Min(clauseEnd, m.Index + m.Length + 200), fromRight: false);
            if (kind is null) continue;

            var year = m.Groups["y"].Success ? m.Groups["y"].Value : null;
            if (!TryDate(m.Groups["d"].Value, m.Groups["m"].Value, year, planYear, out var date)) continue;
            // "chậm nhất ngày 15/6" lets the 15th pass: due before the 16th.
            if (m.Groups["kw"].Value != "truoc") date = date.AddDays(1);
            var found = new Found<DateOnly>(date, t.Span(m.Index, m.Index + m.Length));

            if (kind == DeadlineKind.ImplementingPlans)
            {
                implementing ??= found;
                continue;
            }

            var period = new ReportingPeriod(planYear ?? date.Year, kind == DeadlineKind.SixMonths ? PeriodKind.H1 : PeriodKind.Y).Code;
            if (periods.TryAdd(period, found)) markers.Add((m.Index, m.Index + m.Length));
        }

        return new Deadlines(periods, implementing, markers);
    }

    static DeadlineKind? NearestKind(string s, int from, int to, bool fromRight)
    {
        if (to <= from) return null;
        var window = s[from..to];
        DeadlineKind? best = null;
        var bestAt = fromRight ? -1 : int.MaxValue;
        foreach (var (pattern, kind) in DeadlineWords)
        {
            foreach (Match w in pattern.Matches(window))
            {
                var at = fromRight ? w.Index + w.Length : w.Index;
                if (fromRight ? at > bestAt : at < bestAt) { bestAt = at; best = kind; }
            }
        }

        return best;
    }

    static bool TryDate(string day, string month, string? year, int? defaultYear, out DateOnly date)
    {
        date = default;
        int? y = string.IsNullOrEmpty(year) ? defaultYear : int.Parse(year, CultureInfo.InvariantCulture);
        if (y is null) return false;
        var d = int.Parse(day, CultureInfo.InvariantCulture);
        var m = int.Parse(month, CultureInfo.InvariantCulture);
        if (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y.Value, m)) return false;
        date = new DateOnly(y.Value, m, d);
        return true;
    }

    // ---------------------------------------------------------------- report recipient

    [GeneratedRegex(@"\b(?:gui ve|gui len|bao cao ve|gui|ve|len)\s+(?<org>(?:co quan\s+)?thuong truc|van phong|cong an|ban chi dao|bcd|uy ban|ubnd|phong|doi|lanh dao|dang uy|ban chi huy|bo cong an|cuc)\b")]
    private static partial Regex Recipient();

    [GeneratedRegex(@"\s+de\s|[.;](?=\s|$)|\s+truoc\b|\s+(?:dinh ky|trong thoi han|theo quy dinh)\b|\n\s*[-+]\s")]
    private static partial Regex RecipientEnd();

    static Found<string>? ReadReportTo(FoldedText t, List<int> bounds, IReadOnlyList<(int Start, int End)> markers)
    {
        if (markers.Count == 0) return null;
        var s = t.Value;
        var from = PreviousBound(bounds, markers.Min(m => m.Start));
        var to = NextBound(bounds, markers.Max(m => m.End), s.Length);
        var candidates = Recipient().Matches(s[..to], from).ToList();
        var pick = candidates.FirstOrDefault(c => c.Index >= markers[0].End) ?? candidates.FirstOrDefault();
        if (pick is null) return null;
        var start = pick.Groups["org"].Index;
        var stop = RecipientEnd().Match(t.Lines[..to], start) is { Success: true } e ? e.Index : to;
        while (stop > start && (char.IsWhiteSpace(s[stop - 1]) || s[stop - 1] is ',' or ':')) stop--;
        return stop > start ? new Found<string>(t.Text(start, stop), t.Span(start, stop)) : null;
    }

    // ---------------------------------------------------------------- targets

    [GeneratedRegex(@"(?<![\w/.,:-])(?<n>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|phan tram\b)")]
    private static partial Regex RateNumber();

    [GeneratedRegex(@"(?<![\w/.,:%-])(?<n>\d{1,4})(?=\s)(?!\s*(?:%|phan tram))")]
    private static partial Regex CountNumber();

    [GeneratedRegex(@"(?:^|\s)(?<w>tren|hon|vuot|cao hon|nhieu hon|it nhat(?:\s+la)?|toi thieu(?:\s+la)?|khong duoi|khong it hon|tu|duoi|it hon|thap hon|khong qua|toi da|khong vuot qua)\s*$")]
    private static partial Regex ComparatorBefore();

    [GeneratedRegex(@"\G\s*(?<w>tro len|tro xuong)\b")]
    private static partial Regex ComparatorAfter();

    /// <summary>A number that reports what happened is not a target: "đã đạt", "kết quả", "so với cùng kỳ".</summary>
    [GeneratedRegex(@"\b(?:ket qua|so voi|cung ky|da\s+(?:dat|co|duoc|xay dung|to chuc|cong nhan|hoan thanh))\b")]
    private static partial Regex PastResult();

    [GeneratedRegex(@"\b(?:moi|tung)\s+(?<w>xa|phuong|thi tran|dac khu|don vi cap xa|huyen|quan|thi xa|don vi cap huyen|khu dan cu|thon|to dan pho|khu pho|tinh)\b")]
    private static partial Regex EachUnit();

    sealed record Number(int Start, int End, int PhraseEnd, decimal Value, string Comparator, bool IsRate);

    sealed record Matcher(IndicatorPhrase Phrase, Regex? Qualifier, Regex? Unit, Regex[] SubjectAny, Regex[] SubjectNone, bool IsRate);

    sealed record Hit(Matcher Matcher, Number Number, int Start, int End, int Order);

    /// <summary>What the reader matches with for one catalogue (instance), built once: the target matchers (~50
    /// regular expressions) and the keywords, every folded word of the reader's patterns, the synonym table and the
    /// catalogue's names, which a word broken by OCR is joined back into.</summary>
    sealed record Vocabulary(List<Matcher> Matchers, IReadOnlySet<string> Keywords);

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<CatalogueIndicator>, Vocabulary> vocabularies = new();

    static Vocabulary VocabularyOf(IReadOnlyList<CatalogueIndicator> catalogue) =>
        vocabularies.GetValue(catalogue, c => new Vocabulary(BuildMatchers(c), BuildKeywords(c)));

    static List<Matcher> Matchers(IReadOnlyList<CatalogueIndicator> catalogue) => VocabularyOf(catalogue).Matchers;

    static IReadOnlySet<string> Keywords(IReadOnlyList<CatalogueIndicator> catalogue) => VocabularyOf(catalogue).Keywords;

    static IReadOnlySet<string> BuildKeywords(IReadOnlyList<CatalogueIndicator> catalogue)
    {
        Regex[] patterns =
        [
            FirstHeading(), PreambleCue(), TitleWord(), NumberLine(), FullDate(), YearWords(), IssuingVerb(), OrganisationHead(),
            LevelWords(), NotLevel(), DocumentReference(), CommitteeIssuer(), DeadlineMarker(), Recipient(), RecipientEnd(),
            ComparatorBefore(), ComparatorAfter(), PastResult(), EachUnit(), .. DeadlineWords.Select(d => d.Pattern),
        ];
        var sources = patterns.Select(p => p.ToString())
            .Concat(IndicatorPhrases.All.SelectMany(p => new[] { p.Qualifier, p.Unit ?? "" }.Concat(p.SubjectAny ?? []).Concat(p.SubjectNone ?? [])));
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            // Escapes (\b, \s, \p{Lu}), group names and character classes are not words.
            var text = PatternNoise().Replace(source, " ");
            foreach (Match w in Word().Matches(text)) words.Add(w.Value);
        }

        foreach (var c in catalogue)
        {
            foreach (Match w in Word().Matches(FoldedText.Fold(c.Name))) words.Add(w.Value);
        }

        words.RemoveWhere(w => w.Length < 2 || !w.Any(ch => "aeiouy".Contains(ch)));
        return words;
    }

    [GeneratedRegex(@"\\p\{[^}]*\}|\\.|\(\?<?[a-z]*[>=!:]|\[[^\]]*\]")]
    private static partial Regex PatternNoise();

    [GeneratedRegex(@"[a-z]+")]
    private static partial Regex Word();

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

    static List<Matcher> BuildMatchers(IReadOnlyList<CatalogueIndicator> catalogue)
    {
        var byCode = catalogue.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var list = new List<Matcher>();
        foreach (var p in IndicatorPhrases.All)
        {
            if (!byCode.TryGetValue(p.Indicator, out var indicator)) continue;
            list.Add(new Matcher(p,
                p.Qualifier.Length > 0 ? new Regex(p.Qualifier, RegexOptions.CultureInvariant) : null,
                p.Unit is null ? null : new Regex(@"\G\s*""?(?:" + p.Unit + @")\b", RegexOptions.CultureInvariant),
                [.. (p.SubjectAny ?? []).Select(x => new Regex(x, RegexOptions.CultureInvariant))],
                [.. (p.SubjectNone ?? []).Select(x => new Regex(x, RegexOptions.CultureInvariant))],
                indicator.IsRate));
        }

        // Then each catalogue name as written ("tỷ lệ hòa giải thành", "số mô hình xây dựng mới"), loosely spaced.
        foreach (var c in catalogue)
        {
            var words = Regex.Split(FoldedText.Fold(c.Name), @"[^a-z0-9]+").Where(w => w.Length > 0).ToList();
            if (words is ["trong", "do", ..]) words = words[2..];
            if (!c.IsRate && words is ["so", ..]) words = words[1..];
            if (words.Count < 2) continue;
            var phrase = @"\b" + string.Join(@"[\s,""'():-]+", words.Select(Regex.Escape)) + @"\b""?";
            var p = new IndicatorPhrase(c.Code, c.Code, c.IsRate ? phrase : "", c.IsRate ? null : phrase);
            list.Add(new Matcher(p,
                c.IsRate ? new Regex(phrase, RegexOptions.CultureInvariant) : null,
                c.IsRate ? null : new Regex(@"\G\s*""?(?:" + phrase + ")", RegexOptions.CultureInvariant),
                [], [], c.IsRate));
        }

        return list;
    }

    static IReadOnlyList<DraftTarget> ReadTargets(FoldedText t, List<int> bounds, IReadOnlyList<CatalogueIndicator> catalogue, int? planYear)
    {
        var s = t.Value;
        var matchers = Matchers(catalogue);
        var numbers = new List<Number>();
        foreach (Match m in RateNumber().Matches(s)) numbers.Add(ReadNumberValue(s, m, isRate: true));
        foreach (Match m in CountNumber().Matches(s)) numbers.Add(ReadNumberValue(s, m, isRate: false));

        var targets = new List<DraftTarget>();
        foreach (var clause in numbers.GroupBy(n => PreviousBound(bounds, n.Start)).OrderBy(g => g.Key))
        {
            var clauseStart = SkipLead(s, clause.Key);
            var clauseEnd = NextBound(bounds, clause.First().End, s.Length);
            var hits = new List<Hit>();
            var inClause = clause.OrderBy(n => n.Start).ToList();
            if (IsPastResult(s, clauseStart, clauseEnd, inClause[0].Start, planYear)) continue;

            // A count names what it counts right after it ("01 mô hình"): only numbers followed by a word can be one.
            var counts = inClause.Where(n => !n.IsRate && FollowedByWord(s, n.End)).ToList();
            var rates = inClause.Where(n => n.IsRate).ToList();
            for (var order = 0; order < matchers.Count; order++)
            {
                var matcher = matchers[order];
                if (matcher.Unit is not null)
                {
                    // The qualifier is looked for once per clause, not once per number (a clause may be long).
                    Match? qualifier = null;
                    foreach (var n in counts)
                    {
                        var unit = matcher.Unit.Match(s, n.End);
                        if (!unit.Success) continue;
                        var end = unit.Index + unit.Length;
                        if (matcher.Qualifier is not null)
                        {
                            qualifier ??= matcher.Qualifier.Match(s, clauseStart, clauseEnd - clauseStart);
                            if (!qualifier.Success) continue;
                            end = Math.Max(end, qualifier.Index + qualifier.Length);
                        }

                        var after = ComparatorAfter().Match(s, unit.Index + unit.Length);
                        var number = after.Success ? n with { Comparator = after.Groups["w"].Value == "tro len" ? ">=" : "<=", PhraseEnd = after.Index + after.Length } : n;
                        hits.Add(new Hit(matcher, number, n.Start, Math.Max(end, number.PhraseEnd), order));
                    }
                }
                else if (matcher.Qualifier is not null && matcher.IsRate)
                {
                    for (var q = matcher.Qualifier.Match(s, clauseStart, clauseEnd - clauseStart); q.Success; q = q.NextMatch())
                    {
                        var number = LastEndingBy(rates, n => n.End, q.Index) ?? FirstStartingFrom(rates, q.Index + q.Length);
                        if (number is null) continue;
                        var subject = number.End <= q.Index ? s[number.End..q.Index] : s[clauseStart..q.Index];
                        if (matcher.SubjectAny.Length > 0 && !matcher.SubjectAny.Any(r => r.IsMatch(subject))) continue;
                        if (matcher.SubjectNone.Any(r => r.IsMatch(subject))) continue;
                        hits.Add(new Hit(matcher, number, q.Index, q.Index + q.Length, order));
                    }
                }
            }

            // One indicator per family and number; of overlapping wordings the one earlier in the table wins.
            var kept = new List<Hit>();
            var keptByNumber = new Dictionary<int, List<Hit>>();
            foreach (var hit in hits.OrderBy(h => h.Order).ThenBy(h => h.Start))
            {
                if (!keptByNumber.TryGetValue(hit.Number.Start, out var same)) keptByNumber[hit.Number.Start] = same = [];
                if (same.Any(k => k.Matcher.Phrase.Family == hit.Matcher.Phrase.Family
                        || k.Matcher.Phrase.Indicator == hit.Matcher.Phrase.Indicator
                        || (k.Start < hit.End && hit.Start < k.End))) continue;
                same.Add(hit);
                kept.Add(hit);
            }

            // "mỗi xã ..." before a number: each unit word of the clause, found once.
            var eachUnits = kept.Count == 0 ? [] : EachUnit().Matches(s, clauseStart).TakeWhile(e => e.Index < clauseEnd).ToList();
            var previousEnd = clauseStart;
            foreach (var hit in kept.OrderBy(h => Math.Max(h.End, h.Number.PhraseEnd)))
            {
                var start = SkipLead(s, previousEnd);
                var end = Math.Max(hit.End, hit.Number.PhraseEnd);
                var scope = LastEndingBy(eachUnits, e => e.Index + e.Length, hit.Number.Start) is { } each ? ScopeOf(each.Groups["w"].Value) : null;
                targets.Add(new DraftTarget(hit.Matcher.Phrase.Indicator, hit.Number.Comparator, hit.Number.Value, scope, t.Text(start, end), t.Span(start, end)));
                previousEnd = end;
            }
        }

        return targets;
    }

    static Number ReadNumberValue(string s, Match m, bool isRate)
    {
        var raw = m.Groups["n"].Value;
        var value = decimal.Parse(raw.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var end = m.Index + m.Length;
        var phraseEnd = end;
        string? comparator = null;
        var before = ComparatorBefore().Match(s[Math.Max(0, m.Index - 30)..m.Index]);
        if (before.Success)
        {
            comparator = before.Groups["w"].Value switch
            {
                "tren" or "hon" or "vuot" or "cao hon" or "nhieu hon" => ">",
                "duoi" or "it hon" or "thap hon" => "<",
                "khong qua" or "toi da" or "khong vuot qua" => "<=",
                _ => ">=",
            };
        }

        if (isRate && ComparatorAfter().Match(s, end) is { Success: true } after)
        {
            comparator ??= after.Groups["w"].Value == "tro len" ? ">=" : "<=";
            if (before.Success && before.Groups["w"].Value == "tu") comparator = after.Groups["w"].Value == "tro len" ? ">=" : "<=";
            phraseEnd = after.Index + after.Length;
        }

        // A bare "100%" is all of them; any other bare figure is a floor to reach ("phấn đấu đạt 95%").
        comparator ??= isRate && value == 100 ? "=" : ">=";
        return new Number(m.Index, end, phraseEnd, value, comparator, isRate);
    }

    static bool IsPastResult(string s, int clauseStart, int clauseEnd, int firstNumber, int? planYear)
    {
        if (PastResult().IsMatch(s[clauseStart..clauseEnd])) return true;
        if (planYear is null) return false;
        foreach (Match y in YearWords().Matches(s[clauseStart..firstNumber]))
        {
            if (int.Parse(y.Groups["y"].Value, CultureInfo.InvariantCulture) < planYear) return true;
        }

        return false;
    }

    static string ScopeOf(string unitWord) => unitWord switch
    {
        "xa" or "phuong" or "thi tran" or "dac khu" or "don vi cap xa" => "each commune",
        "huyen" or "quan" or "thi xa" or "don vi cap huyen" => "each district",
        "tinh" => "each province",
        _ => "each residential area",
    };

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
