using System.Text;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.Lineage;

/// <summary>One old unit named in <c>truocsapnhap</c>.</summary>
/// <param name="Text">The words as written, for reports ("Xã Chiềng Chung (huyện Mai Sơn)").</param>
/// <param name="Type">The administrative type written before the name, normalized ("xa", "phuong", "thi tran", "huyen"), or null.</param>
/// <param name="BaseName">The name without its type, normalized ("chieng chung").</param>
/// <param name="AccentedBase">The same name with its tones kept (<see cref="VietnameseText.Accented"/>).</param>
/// <param name="Hint">The district or city named in brackets, normalized without its type ("mai son"), or null.</param>
/// <param name="Partial">Only part of it went into the new unit.</param>
public sealed record PredecessorReference(string Text, string? Type, string BaseName, string AccentedBase, string? Hint, bool Partial)
{
    /// <summary>"Phường Phường Quang Trung", "xã Xã Đình Dù": the name may start with its type again.</summary>
    public PredecessorReference? WithoutSecondType()
    {
        var (type, rest) = UnitNames.Split(BaseName);
        return type is null ? null : this with { Type = type, BaseName = rest, AccentedBase = AccentedBase[^rest.Length..] };
    }
}

/// <summary>What <c>truocsapnhap</c> says: "giữ nguyên" (kept as it was) or a list of predecessors.</summary>
public sealed record PredecessorText(bool Kept, IReadOnlyList<PredecessorReference> References);

/// <summary>
/// Reads the free Vietnamese text of merges-2025.json that names the old units a new unit was formed from. The text lists
/// names separated by commas and "và"; brackets add the old district ("(huyện Mai Sơn)") or say that only the remainder
/// went in ("(phần còn lại sau khi sáp nhập vào xã Hòa Lạc)"); "một phần diện tích … của [các phường] X" marks X (or,
/// with "các", every name after it) as partial; "phần còn lại của X" marks X partial; "toàn bộ … của các phường" keeps
/// them whole.
/// </summary>
public static partial class PredecessorTextParser
{
    public static PredecessorText Parse(string text)
    {
        var normalizedAll = VietnameseText.Normalize(text);
        if (normalizedAll is "giu nguyen" or "") return new PredecessorText(true, []);

        var references = new List<PredecessorReference>();
        var pendingPartial = false; // "một phần diện tích" ended a segment; the name comes in the next one
        var stickyPartial = false;  // "… của các phường": every name from here on is partial
        foreach (var segment in Segments(CutTrailingSentence(text)))
        {
            var (outside, brackets) = SplitBrackets(segment);
            var (normalized, accented) = VietnameseText.Keys(outside);
            if (normalized.Length == 0) continue;

            var pending = pendingPartial;
            var partial = pending || stickyPartial;
            pendingPartial = false;
            var marker = MarkerWords().IsMatch(normalized);
            if (marker)
            {
                var whole = normalized.Contains("toan bo") && !normalized.Contains("mot phan");
                var isPart = normalized.Contains("mot phan") || normalized.Contains("phan con lai");
                var of = OfWord().Match(normalized);
                if (!of.Success && NameAfterMarker().Match(normalized) is { Success: true } named)
                {
                    // "một phần diện tích tự nhiên, quy mô dân số Phường Quang Trung": no "của" before the name.
                    (normalized, accented) = (normalized[named.Index..], accented[named.Index..]);
                    partial = (isPart || partial) && !(whole && !pending);
                }
                else if (!of.Success)
                {
                    // "một phần diện tích TN" alone: the name follows after the next comma.
                    pendingPartial = isPart || pending;
                    continue;
                }
                else
                {
                    // "một phần diện tích TN, toàn bộ quy mô dân số của X": part of the land, so part of X.
                    partial = (isPart || partial) && !(whole && !pending);
                    if (of.Groups["cac"].Success) stickyPartial = partial;
                    var start = of.Index + of.Length;
                    while (RepeatedOf().Match(normalized, start) is { Success: true } again && again.Index == start) start += again.Length;
                    (normalized, accented) = (normalized[start..], accented[start..]);
                }
            }

            if (SuffixAfterArrangement().Match(normalized) is { Success: true } suffix)
            {
                (normalized, accented) = (normalized[..suffix.Index], accented[..suffix.Index]);
            }

            var lead = LeadingCac().Match(normalized);
            (normalized, accented) = (normalized[lead.Length..].Trim(), accented[lead.Length..].Trim());
            string? hint = null;
            foreach (var bracket in brackets)
            {
                var b = VietnameseText.Normalize(bracket);
                if (b.Contains("phan con lai") || b.Contains("mot phan")) partial = true;
                else if (UnitNames.Split(b) is { Type: "huyen" or "quan" or "thi xa" or "thanh pho" or "tinh" } h) hint = h.Base;
            }

            var (type, baseName) = UnitNames.Split(normalized);
            if (baseName.Length == 0) continue;
            var accentedBase = accented[^baseName.Length..];
            // "phần còn lại của phường Cửa Đông, Đồng Xuân": a bare name continues the list before it.
            if (!marker && type is null && references.Count > 0 && references[^1].Partial) partial = true;
            references.Add(new PredecessorReference(segment.Trim(), type, baseName, accentedBase, hint, partial));
        }

        return new PredecessorText(false, references);
    }

    /// <summary>"tỉnh Bình Phước và tỉnh Đồng Nai. Từ ngày 30/04/2026, …" → the first sentence.</summary>
    static string CutTrailingSentence(string text)
    {
        var match = SentenceEnd().Match(text);
        return match.Success ? text[..match.Index] : text;
    }

    /// <summary>Splits on commas, semicolons and the word "và", outside brackets.</summary>
    static IEnumerable<string> Segments(string text)
    {
        var current = new StringBuilder();
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '(') depth++;
            if (c == ')') depth = Math.Max(0, depth - 1);
            if (depth == 0 && (c is ',' or ';' || IsWordAnd(text, i)))
            {
                yield return current.ToString();
                current.Clear();
                if (c is not ',' and not ';') i += 1; // skip "và"
                continue;
            }

            current.Append(c);
        }

        yield return current.ToString();
    }

    static bool IsWordAnd(string text, int i) =>
        i + 1 < text.Length && (text[i] == 'v' || text[i] == 'V') && text[i + 1] == 'à'
        && (i == 0 || !char.IsLetter(text[i - 1])) && (i + 2 >= text.Length || !char.IsLetter(text[i + 2]));

    static (string Outside, List<string> Brackets) SplitBrackets(string segment)
    {
        var outside = new StringBuilder();
        var brackets = new List<string>();
        var inner = new StringBuilder();
        var depth = 0;
        foreach (var c in segment)
        {
            if (c == '(')
            {
                if (depth > 0) inner.Append(c);
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
                if (depth == 0) { brackets.Add(inner.ToString()); inner.Clear(); }
                else inner.Append(c);
            }
            else if (depth > 0) inner.Append(c);
            else outside.Append(c);
        }

        if (inner.Length > 0) brackets.Add(inner.ToString());
        return (outside.ToString(), brackets);
    }

    [GeneratedRegex(@"\b(mot phan|phan con lai|toan bo|toan bo|quy mo dan so|dien tich)\b")]
    private static partial Regex MarkerWords();

    /// <summary>"… của [các] [xã|phường|thị trấn]" (and the typo "củ") before the names.</summary>
    [GeneratedRegex(@"\bcua?\s+(?<cac>cac\s+)?")]
    private static partial Regex OfWord();

    [GeneratedRegex(@"\b(xa|phuong|thi tran)\s")]
    private static partial Regex NameAfterMarker();

    [GeneratedRegex(@"\G(cua|cac)\s+")]
    private static partial Regex RepeatedOf();

    [GeneratedRegex(@"^(cac\s+)+")]
    private static partial Regex LeadingCac();

    [GeneratedRegex(@"\s*\bsau khi sap xep\b.*$")]
    private static partial Regex SuffixAfterArrangement();

    [GeneratedRegex(@"\.\s+\p{Lu}")]
    private static partial Regex SentenceEnd();
}
