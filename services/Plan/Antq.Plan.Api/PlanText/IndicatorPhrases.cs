namespace Antq.Plan.Api.PlanText;

/// <summary>
/// One way plans word a target on a catalogue indicator. Patterns are regular expressions over folded text
/// (lower case, no diacritics, đ → d, straight quotes; see <see cref="FoldedText"/>), so one pattern reads
/// "an toàn về an ninh, trật tự" and "an toan ve an ninh, trat tu" alike.
/// </summary>
/// <param name="Indicator">The catalogue code.</param>
/// <param name="Family">Phrases of one family name the same thing; for one number the first phrase of a family that fits wins.</param>
/// <param name="Qualifier">What the sentence must say about the counted thing (empty: nothing more than the unit).</param>
/// <param name="Unit">For counts: the thing counted, right after the number ("01 mô hình"). Null for rates (%).</param>
/// <param name="SubjectAny">For rates: the words between the number and the qualifier must name one of these.</param>
/// <param name="SubjectNone">For rates: ... and none of these.</param>
public sealed record IndicatorPhrase(
    string Indicator,
    string Family,
    string Qualifier,
    string? Unit = null,
    IReadOnlyList<string>? SubjectAny = null,
    IReadOnlyList<string>? SubjectNone = null);

/// <summary>
/// The synonym table: the wordings of targets that plans use for catalogue indicators, most specific first. This
/// is data; a new wording is a new line here. After these the reader also tries each catalogue name itself.
/// </summary>
public static class IndicatorPhrases
{
    /// <summary>"An toàn về an ninh, trật tự" / "an toàn về ANTT" (Thông tư 124/2021/TT-BCA).</summary>
    const string Safe = @"an toan\s*(?:ve\s*)?(?:an ninh\s*,?\s*trat tu|antt)""?";

    /// <summary>Words that name residential areas (khu dân cư: thôn, tổ dân phố...).</summary>
    static readonly string[] Residential = [@"\bkhu dan cu\b", @"\bthon\b", @"\bto dan pho\b", @"\bkhu pho\b", @"\bxom\b", @"\bap\b", @"\bkdc\b"];

    /// <summary>Words that name agencies, enterprises and schools.</summary>
    static readonly string[] Organisations = [@"\bco quan\b", @"\bdoanh nghiep\b", @"\bco so giao duc\b", @"\bnha truong\b", @"\btruong hoc\b"];

    public static readonly IReadOnlyList<IndicatorPhrase> All =
    [
        // Safe-standard recognition: which rate depends on who the sentence counts.
        new("PCT_KDC_SAFE", "safe", Safe, SubjectAny: Residential, SubjectNone: Organisations),
        new("PCT_ORG_SAFE", "safe", Safe, SubjectAny: Organisations, SubjectNone: Residential),
        new("PCT_UNITS_SAFE", "safe", Safe),
        new("KDC_SAFE", "safe-count", Safe, Unit: @"(?:khu dan cu|thon|to dan pho|khu pho)"),
        new("ORG_SAFE", "safe-count", Safe, Unit: @"(?:co quan|doanh nghiep|co so giao duc)"),

        // Movement classification (Quyết định 510/QĐ-BCA-V05): "phân loại ... đạt mức Khá trở lên".
        new("PCT_KHA_TRO_LEN", "classification", @"(?:(?:dat\s+)?(?:muc|loai)\s+)?""?\bkha\b""?\s*tro\s*len"),

        // Self-management models (mô hình tự quản).
        new("MODELS_EFFECTIVE", "models", @"hoat dong\s+(?:co\s+|dat\s+)?hieu qua|hieu qua", Unit: @"mo hinh"),
        new("MODELS_NEW", "models", @"mo hinh\s+moi|xay dung\s+moi|thanh lap\s+moi", Unit: @"mo hinh"),
        new("MODELS_ACTIVE", "models", "", Unit: @"mo hinh"),

        // "Ngày hội toàn dân bảo vệ an ninh Tổ quốc".
        new("PCT_FESTIVAL", "festival", @"(?:to chuc|tham gia)[^.;\n]{0,40}ngay hoi"),
        new("FESTIVAL_VENUES", "festival-count", "", Unit: @"diem\s+(?:to chuc\s+)?""?ngay hoi"),

        // Forums "Công an lắng nghe ý kiến Nhân dân".
        new("FORUMS", "forums", "", Unit: @"(?:luot\s+|buoi\s+|cuoc\s+)?""?dien dan"),

        new("PCT_MEDIATION_SUCCESS", "mediation", @"hoa giai\s+thanh"),
        new("PCT_TIPS_VALUABLE", "tips", @"tin\s+(?:co\s+)?gia tri"),
        new("TYPICAL_EXAMPLES", "examples", "", Unit: @"dien hinh\s+tien tien"),
        new("CONF_BRIEFINGS", "briefings", "", Unit: @"hoi nghi\s+(?:quan triet|trien khai)"),
        new("PROP_SESSIONS", "propaganda", "", Unit: @"buoi\s+(?:tuyen truyen|phat dong)"),
    ];
}
