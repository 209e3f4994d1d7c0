using System.Globalization;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.PlanText;

/// <summary>The plan's heading: its number, the place and date of issue, its year, the issuing body and its level.</summary>
public static partial class PlanTextReader
{
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
}
