using System.Globalization;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.PlanText;

/// <summary>The numeric targets, each mapped to a catalogue indicator: the matchers, the numbers, the clauses they stand in.</summary>
public static partial class PlanTextReader
{
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
}
