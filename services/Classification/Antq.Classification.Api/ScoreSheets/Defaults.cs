namespace Antq.Classification.Api.ScoreSheets;

/// <summary>
/// What the system ships where no administrator has published anything. None of it is taken from a regulation's text:
/// each is flagged <c>IsDefault</c> and carries <see cref="Note"/>, and the product shows it as such.
/// </summary>
public static class Defaults
{
    public const string Note = "Mặc định của hệ thống, cần quản trị viên xác nhận; không phải quy định pháp luật";

    /// <summary>Xuất sắc ≥ 90, Khá ≥ 70, Trung bình ≥ 50, otherwise Yếu (DOMAIN.md).</summary>
    public static readonly ClassCutoffs Cutoffs = new(90, 70, 50);

    /// <summary>Review deadlines (hạn xét, "trước ngày"), dd/MM.</summary>
    public static string ReviewDeadline(string subjectKind) => subjectKind switch
    {
        SubjectKinds.ResidentialArea => "20/11",
        SubjectKinds.District => "15/12",
        _ => "30/11",
    };

    /// <summary>The default sheet for a year and kind; null where the system ships none (residential areas, districts).</summary>
    public static ScoreSheet? Sheet(int year, string subjectKind) => subjectKind switch
    {
        SubjectKinds.Commune => new ScoreSheet
        {
            Year = year, SubjectKind = subjectKind, IsDefault = true, Note = Note, Cutoffs = Cutoffs, ReviewDeadline = ReviewDeadline(subjectKind),
            Criteria =
            [
                new("TC1", "Ban hành kế hoạch, chỉ đạo, hướng dẫn triển khai phong trào toàn dân bảo vệ an ninh Tổ quốc", 10),
                new("TC2", "Tuyên truyền, phát động phong trào; vận động Nhân dân tham gia bảo vệ an ninh, trật tự", 15),
                new("TC3", "Xây dựng, duy trì mô hình tự quản về an ninh, trật tự hoạt động hiệu quả", 15,
                    new ScoreRule("MODELS_EFFECTIVE", ScoreRule.Threshold, ">=", 1)),
                new("TC4", "Tỷ lệ khu dân cư đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"", 20,
                    new ScoreRule("PCT_KDC_SAFE", ScoreRule.Proportional, ">=", 80)),
                new("TC5", "Hòa giải thành các vụ việc mâu thuẫn, tranh chấp trong Nhân dân", 10,
                    new ScoreRule("PCT_MEDIATION_SUCCESS", ScoreRule.Proportional, ">=", 90)),
                new("TC6", "Phòng ngừa, đấu tranh với tội phạm và vi phạm pháp luật; giữ gìn an ninh, trật tự trên địa bàn", 20),
                new("TC7", "Xây dựng lực lượng nòng cốt; sơ kết, tổng kết, khen thưởng điển hình tiên tiến", 10),
            ],
            Disqualifiers =
            [
                new("DK1", "Để xảy ra vụ việc phức tạp về an ninh, trật tự kéo dài hoặc trọng án gây bức xúc trong Nhân dân", MovementClass.TrungBinh),
            ],
        },
        SubjectKinds.AgencyEnterpriseSchool => new ScoreSheet
        {
            Year = year, SubjectKind = subjectKind, IsDefault = true, Note = Note, Cutoffs = Cutoffs, ReviewDeadline = ReviewDeadline(subjectKind),
            Criteria =
            [
                new("TC1", "Ban hành kế hoạch, tổ chức triển khai phong trào tại cơ quan, doanh nghiệp, cơ sở giáo dục", 15),
                new("TC2", "Tuyên truyền, giáo dục ý thức bảo vệ an ninh Tổ quốc cho cán bộ, người lao động, học sinh, sinh viên", 20),
                new("TC3", "Bảo vệ chính trị nội bộ, bí mật nhà nước, tài sản; phòng cháy, chữa cháy", 25),
                new("TC4", "Xây dựng lực lượng bảo vệ, mô hình tự quản; phối hợp với Công an xã, phường, đặc khu", 20),
                new("TC5", "Không có cán bộ, người lao động, học sinh, sinh viên vi phạm pháp luật bị xử lý", 20),
            ],
            Disqualifiers =
            [
                new("DK1", "Có cán bộ, người lao động bị truy cứu trách nhiệm hình sự trong năm", MovementClass.TrungBinh),
            ],
        },
        _ => null,
    };

    /// <summary>The default safe-standard criteria for a year and kind; null where the system ships none (districts).</summary>
    public static SafeStandard? Safe(int year, string subjectKind) => subjectKind switch
    {
        SubjectKinds.ResidentialArea => new SafeStandard
        {
            Year = year, SubjectKind = subjectKind, IsDefault = true, Note = Note,
            Criteria =
            [
                new("AT1", "100% hộ gia đình đăng ký, cam kết thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc"),
                new("AT2", "Không để xảy ra hoạt động xâm phạm an ninh quốc gia; không có \"điểm nóng\" phức tạp về an ninh, trật tự"),
                new("AT3", "Không để xảy ra tội phạm nghiêm trọng trở lên; tệ nạn xã hội được kiềm chế"),
                new("AT4", "Có mô hình tự quản về an ninh, trật tự hoạt động hiệu quả"),
            ],
        },
        SubjectKinds.Commune => new SafeStandard
        {
            Year = year, SubjectKind = subjectKind, IsDefault = true, Note = Note,
            Criteria =
            [
                new("AT1", "Có ít nhất một mô hình tự quản về an ninh, trật tự hoạt động hiệu quả", new IndicatorCondition("MODELS_EFFECTIVE", ">=", 1)),
                new("AT2", "Không có cán bộ, chiến sĩ Công an xã, phường, đặc khu bị xử lý kỷ luật"),
                new("AT3", "Không để xảy ra hoạt động xâm phạm an ninh quốc gia, trọng án gây bức xúc trong Nhân dân"),
            ],
        },
        SubjectKinds.AgencyEnterpriseSchool => new SafeStandard
        {
            Year = year, SubjectKind = subjectKind, IsDefault = true, Note = Note,
            Criteria =
            [
                new("AT1", "Có kế hoạch và tổ chức thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc"),
                new("AT2", "Không có cán bộ, người lao động, học sinh, sinh viên vi phạm pháp luật bị xử lý hình sự"),
                new("AT3", "Không để xảy ra cháy, nổ, mất an toàn nghiêm trọng"),
            ],
        },
        _ => null,
    };
}
