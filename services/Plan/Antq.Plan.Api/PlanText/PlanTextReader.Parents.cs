using System.Text.RegularExpressions;

namespace Antq.Plan.Api.PlanText;

/// <summary>The documents the plan implements (Thực hiện Kế hoạch số …, Căn cứ Chỉ thị số …).</summary>
public static partial class PlanTextReader
{
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
}
