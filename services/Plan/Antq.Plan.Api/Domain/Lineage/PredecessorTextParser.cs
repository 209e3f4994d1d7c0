using System.Text;
using System.Text.RegularExpressions;
using Antq.Plan.Api.Domain.Units;

namespace Antq.Plan.Api.Domain.Lineage;

/// <summary>One old unit named in <c>truocsapnhap</c>.</summary>
/// <param name="Text">The words as written, for reports ("Xã Chiềng Chung (huyện Mai Sơn)").</param>
/// <param name="Type">The administrative type written before the name, normalized ("xa", "phuong", "thi tran", "huyen"), or null.</param>
/// <param name="BaseName">The name without its type, normalized ("chieng chung").</param>
/// <param name="Hint">The district or city named in brackets, normalized without its type ("mai son"), or null.</param>
/// <param name="Partial">Only part of it went into the new unit.</param>
public sealed record PredecessorReference(string Text, string? Type, string BaseName, string? Hint, bool Partial);

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
    static readonly string[] Types = ["thi tran", "thanh pho", "thi xa", "dac khu", "phuong", "huyen", "quan", "tinh", "xa"];

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
            var normalized = VietnameseText.Normalize(outside);
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
                if (!of.Success)
                {
                    // "một phần diện tích TN" alone: the name follows after the next comma.
                    pendingPartial = isPart || pending;
                    continue;
                }

                // "một phần diện tích TN, toàn bộ quy mô dân số của X": part of the land, so part of X.
                partial = (isPart || partial) && !(whole && !pending);
                if (of.Groups["cac"].Success) stickyPartial = partial;
                normalized = normalized[(of.Index + of.Length)..];
            }

            normalized = SuffixAfterArrangement().Replace(normalized, "").Trim();
            string? hint = null;
            foreach (var bracket in brackets)
            {
                var b = VietnameseText.Normalize(bracket);
                if (b.Contains("phan con lai") || b.Contains("mot phan")) partial = true;
                else if (UnitNames.Split(b) is { Type: "huyen" or "quan" or "thi xa" or "thanh pho" or "tinh" } h) hint = h.Base;
            }

            var (type, baseName) = SplitType(normalized);
            if (baseName.Length == 0) continue;
            references.Add(new PredecessorReference(segment.Trim(), type, baseName, hint, partial));
        }

        return new PredecessorText(false, references);
    }

    /// <summary>"xa xa dinh du" → ("xa", "dinh du"); "phuong phuong quang trung" → ("phuong", "quang trung").</summary>
    static (string? Type, string Base) SplitType(string normalized)
    {
        string? type = null;
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var t in Types)
            {
                if (normalized.StartsWith(t + " ", StringComparison.Ordinal) && normalized.Length > t.Length + 1)
                {
                    type = t;
                    normalized = normalized[(t.Length + 1)..];
                    changed = true;
                    break;
                }
            }
        }

        return (type, normalized);
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

    [GeneratedRegex(@"\s*\bsau khi sap xep\b.*$")]
    private static partial Regex SuffixAfterArrangement();

    [GeneratedRegex(@"\.\s+\p{Lu}")]
    private static partial Regex SentenceEnd();
}
