namespace Antq.Plan.Api.Units;

/// <summary>What the administrative prefix of a name says: "Phường Phúc Xá" is a phường named "Phúc Xá".</summary>
public static class UnitNames
{
    /// <summary>Normalized prefixes, longest first so that "thi tran" wins over a shorter match.</summary>
    static readonly (string Prefix, string Type)[] Prefixes =
    [
        ("thanh pho", "thanh pho"), ("thu do", "thanh pho"), ("thi tran", "thi tran"), ("thi xa", "thi xa"),
        ("dac khu", "dac khu"), ("phuong", "phuong"), ("huyen", "huyen"), ("quan", "quan"), ("tinh", "tinh"), ("xa", "xa"),
    ];

    /// <summary>The commune's sub-kind from its name; null when the name has no commune prefix.</summary>
    public static CommuneKind? CommuneKindOf(string name) => Split(VietnameseText.Normalize(name)).Type switch
    {
        "xa" => CommuneKind.Xa,
        "phuong" => CommuneKind.Phuong,
        "dac khu" => CommuneKind.DacKhu,
        "thi tran" => CommuneKind.ThiTran,
        _ => null,
    };

    /// <summary>Splits a normalized name into its type prefix (or null) and the rest: "phuong phuc xa" → ("phuong", "phuc xa").</summary>
    public static (string? Type, string Base) Split(string normalized)
    {
        foreach (var (prefix, type) in Prefixes)
        {
            if (normalized.Length > prefix.Length && normalized.StartsWith(prefix + " ", StringComparison.Ordinal))
            {
                return (type, normalized[(prefix.Length + 1)..]);
            }
        }

        return (null, normalized);
    }

    /// <summary>"Phường Phúc Xá" → "phuc xa".</summary>
    public static string BaseName(string name) => Split(VietnameseText.Normalize(name)).Base;
}
