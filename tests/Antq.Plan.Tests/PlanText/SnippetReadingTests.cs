using System.Text;
using Antq.Plan.Api.PlanText;

namespace Antq.Plan.Tests.PlanText;

/// <summary>Short invented plan texts in the wordings plans use, with and without diacritics, and what must not be taken.</summary>
public sealed class SnippetReadingTests
{
    static PlanDraft Read(string text) => PlanTextReader.Read(text, IndicatorCatalogue.Default);

    static Dictionary<string, DateOnly> Deadlines(PlanDraft draft) => draft.Deadlines.ToDictionary(d => d.Key, d => d.Value.Value);

    static DraftTarget SingleTarget(PlanDraft draft) => Assert.Single(draft.Targets);

    // ------------------------------------------------------------ deadlines

    [Fact]
    public void Deadline_without_a_year_takes_the_plan_year()
    {
        var draft = Read("KẾ HOẠCH\nCông tác xây dựng phong trào năm 2025\n- Định kỳ 6 tháng (trước ngày 25/5) và tổng kết năm (trước ngày 15/12) báo cáo kết quả về Công an tỉnh.");
        Assert.Equal(new Dictionary<string, DateOnly> { ["2025-H1"] = new(2025, 5, 25), ["2025-Y"] = new(2025, 12, 15) }, Deadlines(draft));
        Assert.Equal("Công an tỉnh", draft.ReportTo?.Value);
    }

    [Fact]
    public void Short_form_six_months_and_one_year_deadlines_are_read()
    {
        var draft = Read("KẾ HOẠCH thực hiện phong trào năm 2025\nCác thôn, cơ quan, trường học báo cáo kết quả định kỳ (06 tháng trước ngày 07/5, 01 năm trước 05/11) về Công an xã để tổng hợp.");
        Assert.Equal(new Dictionary<string, DateOnly> { ["2025-H1"] = new(2025, 5, 7), ["2025-Y"] = new(2025, 11, 5) }, Deadlines(draft));
        Assert.Equal("Công an xã", draft.ReportTo?.Value);
    }

    [Fact]
    public void Text_scanned_without_diacritics_gives_the_same_deadlines()
    {
        var draft = Read("KE HOACH\nXay dung phong trao toan dan bao ve an ninh To quoc nam 2024\nCac don vi gui bao cao so ket 6 thang truoc ngay 15/6 va bao cao tong ket nam truoc ngay 01/12/2024 ve Thuong truc Ban Chi dao tinh.");
        Assert.Equal(new Dictionary<string, DateOnly> { ["2024-H1"] = new(2024, 6, 15), ["2024-Y"] = new(2024, 12, 1) }, Deadlines(draft));
        Assert.Equal("Thuong truc Ban Chi dao tinh", draft.ReportTo?.Value);
    }

    [Fact]
    public void So_ket_and_tong_ket_sentences_with_dates_in_words_are_read()
    {
        var draft = Read("Kế hoạch năm 2024.\nBáo cáo sơ kết 6 tháng gửi trước ngày 10/6/2024; báo cáo tổng kết năm gửi trước ngày 20 tháng 11 năm 2024.");
        Assert.Equal(new Dictionary<string, DateOnly> { ["2024-H1"] = new(2024, 6, 10), ["2024-Y"] = new(2024, 11, 20) }, Deadlines(draft));
    }

    [Fact]
    public void Period_named_after_the_date_is_read()
    {
        var draft = Read("KẾ HOẠCH năm 2024\nTrước ngày 15/6/2024, các xã gửi báo cáo sơ kết 6 tháng về Công an huyện.");
        Assert.Equal(new Dictionary<string, DateOnly> { ["2024-H1"] = new(2024, 6, 15) }, Deadlines(draft));
    }

    [Fact]
    public void Cham_nhat_ngay_makes_the_named_day_the_last_one_allowed()
    {
        var draft = Read("KẾ HOẠCH năm 2024\nBáo cáo sơ kết 6 tháng gửi chậm nhất ngày 14/6/2024.");
        Assert.Equal(new DateOnly(2024, 6, 15), Assert.Single(draft.Deadlines).Value.Value);
    }

    [Fact]
    public void Implementing_plans_due_is_the_date_for_plans_of_the_units_below()
    {
        var draft = Read("KẾ HOẠCH năm 2022\nCác huyện xây dựng kế hoạch thực hiện. Kế hoạch gửi về Công an tỉnh trước ngày 30/3 để theo dõi.");
        Assert.Equal(new DateOnly(2022, 3, 30), draft.ImplementingPlansDue?.Value);
        Assert.Empty(draft.Deadlines);
    }

    [Fact]
    public void Dates_that_are_not_deadlines_are_not_taken()
    {
        var draft = Read("KẾ HOẠCH năm 2024\nTổ chức Ngày hội toàn dân bảo vệ ANTQ (ngày 19/8); triển khai Luật (có hiệu lực từ ngày 01/7/2024); các khu dân cư hoàn thành đăng ký xây dựng an toàn trước ngày 31/3. Sơ kết 05 năm thực hiện Kế hoạch số 152-KH/TU, ngày 19/6/2019.");
        Assert.Empty(draft.Deadlines);
        Assert.Null(draft.ImplementingPlansDue);
        Assert.Null(draft.ReportTo);
    }

    [Fact]
    public void A_deadline_without_any_year_to_go_by_is_not_invented()
    {
        var draft = Read("- Định kỳ 6 tháng (trước ngày 25/5) báo cáo về Công an tỉnh.");
        Assert.Null(draft.Year);
        Assert.Empty(draft.Deadlines);
    }

    // ------------------------------------------------------------ targets

    [Fact]
    public void Decimal_comma_and_tu_tro_len_give_at_least()
    {
        var target = SingleTarget(Read("KẾ HOẠCH năm 2024\nPhấn đấu từ 87,5% trở lên khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn an toàn về ANTT."));
        Assert.Equal(("PCT_UNITS_SAFE", ">=", 87.5m), (target.Indicator, target.Comparator, target.Value));
    }

    [Fact]
    public void Safe_standard_without_diacritics_counting_residential_areas_only_is_the_residential_rate()
    {
        var target = SingleTarget(Read("KE HOACH nam 2024\nPhan dau tren 90% khu dan cu dat tieu chuan an toan ve an ninh, trat tu."));
        Assert.Equal(("PCT_KDC_SAFE", ">", 90m), (target.Indicator, target.Comparator, target.Value));
        Assert.Equal("Phan dau tren 90% khu dan cu dat tieu chuan an toan ve an ninh, trat tu", target.Text);
    }

    [Fact]
    public void Classification_Kha_tro_len_with_it_nhat_is_at_least()
    {
        var target = SingleTarget(Read("KẾ HOẠCH năm 2024\nÍt nhất 80% cơ quan, doanh nghiệp được đánh giá, phân loại phong trào đạt loại \"Khá\" trở lên."));
        Assert.Equal(("PCT_KHA_TRO_LEN", ">=", 80m), (target.Indicator, target.Comparator, target.Value));
    }

    [Fact]
    public void One_effective_model_in_each_commune_without_diacritics()
    {
        var target = SingleTarget(Read("KE HOACH nam 2023\nmoi xa, phuong, thi tran co it nhat 01 mo hinh tu quan ve ANTT hoat dong hieu qua."));
        Assert.Equal(("MODELS_EFFECTIVE", ">=", 1m, "each commune"), (target.Indicator, target.Comparator, target.Value, target.Scope));
    }

    [Fact]
    public void A_bare_hundred_percent_means_all_of_them()
    {
        var target = SingleTarget(Read("KẾ HOẠCH năm 2025\n100% tổ dân phố, thôn tổ chức “Ngày hội toàn dân bảo vệ an ninh Tổ quốc”."));
        Assert.Equal(("PCT_FESTIVAL", "=", 100m), (target.Indicator, target.Comparator, target.Value));
    }

    [Fact]
    public void A_count_of_forums_is_a_target_on_forums()
    {
        var target = SingleTarget(Read("KẾ HOẠCH năm 2025\nMỗi xã tổ chức 02 lượt diễn đàn “Công an lắng nghe ý kiến Nhân dân”."));
        Assert.Equal(("FORUMS", ">=", 2m, "each commune"), (target.Indicator, target.Comparator, target.Value, target.Scope));
    }

    [Fact]
    public void A_catalogue_name_before_the_number_is_matched_and_khong_duoi_is_at_least()
    {
        var target = SingleTarget(Read("KẾ HOẠCH năm 2025\nTỷ lệ hòa giải thành đạt không dưới 85%."));
        Assert.Equal(("PCT_MEDIATION_SUCCESS", ">=", 85m), (target.Indicator, target.Comparator, target.Value));
    }

    [Fact]
    public void A_percentage_of_something_not_in_the_catalogue_is_not_taken()
    {
        Assert.Empty(Read("KẾ HOẠCH năm 2024\nPhấn đấu tăng 20% thời lượng phát sóng các chương trình tuyên truyền.").Targets);
    }

    [Fact]
    public void A_past_result_is_not_a_target()
    {
        var draft = Read("KẾ HOẠCH năm 2024\nNăm 2023, toàn tỉnh đã có 85% khu dân cư đạt tiêu chuẩn an toàn về an ninh, trật tự. Kết quả năm qua có 92% đơn vị phân loại Khá trở lên.");
        Assert.Empty(draft.Targets);
    }

    [Fact]
    public void Counts_of_things_the_catalogue_does_not_have_are_not_taken()
    {
        var draft = Read("KẾ HOẠCH năm 2022\nNhân rộng tại mỗi huyện 01 xã điển hình; mỗi địa phương ít nhất 02 công an phường điển hình; sơ kết 05 năm thực hiện.");
        Assert.Empty(draft.Targets);
    }

    // ------------------------------------------------------------ header, issuer, parents

    [Fact]
    public void Header_gives_number_date_issuer_level_and_parent()
    {
        var draft = Read("""
            UBND HUYỆN PHÙ CỪ
            BCĐ 138 XÃ NGHĨA SƠN
            Số: 12/KH-BCĐ
            Nghĩa Sơn, ngày 15 tháng 01 năm 2025
            KẾ HOẠCH
            Xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025
            Thực hiện Kế hoạch số 05/KH-BCĐ ngày 10/01/2025 của Ban Chỉ đạo huyện; Ban Chỉ đạo 138 xã Nghĩa Sơn ban hành kế hoạch như sau:
            I. MỤC ĐÍCH, YÊU CẦU
            """);
        Assert.Equal("Kế hoạch số 12/KH-BCĐ", draft.Number?.Value);
        Assert.Equal(new DateOnly(2025, 1, 15), draft.IssuedOn?.Value);
        Assert.Equal(2025, draft.Year?.Value);
        Assert.Equal("Ban Chỉ đạo 138 xã Nghĩa Sơn", draft.IssuerName?.Value);
        Assert.Equal(IssuerLevel.Commune, draft.IssuerLevel?.Value);
        Assert.Equal(["Kế hoạch số 05/KH-BCĐ ngày 10/01/2025"], draft.ParentReferences.Select(p => p.Value));
    }

    [Fact]
    public void Header_of_an_ocr_scan_gives_number_date_place_year_and_parent()
    {
        // ố → 6, ê → €, à → &, ư → w, 0 → O, l → 1, and spaces inside the number, the code and a word.
        var draft = Read("""
            UBND XÃ MINH TIẾN
            S6: 1 2 /KH- UBND
            Minh Ti€n, ngày 2O tháng O2 năm 2O23
            KẾ HOẠCH
            Xây dwng phong tr&o toàn dân bảo vệ an ninh Tổ qu6c n ăm 2023
            Thwc hiện k€ ho ạch số 28 /KH-UBND ngày 1 5/02/2023 của Ủy ban nhân dân huyện Phù Cừ; Ủy ban nhân dân xã Minh Tiến xây dựng kế hoạch như sau:
            I. MỤC ĐÍCH, YÊU CẦU
            """);
        Assert.Equal("Kế hoạch số 12/KH-UBND", draft.Number?.Value);
        Assert.Equal(new DateOnly(2023, 2, 20), draft.IssuedOn?.Value);
        Assert.Equal("Minh Ti€n", draft.Place?.Value);
        Assert.Equal(2023, draft.Year?.Value);
        Assert.Equal(IssuerLevel.Commune, draft.IssuerLevel?.Value);
        Assert.Equal(["k€ ho ạch số 28 /KH-UBND ngày 1 5/02/2023 của Ủy ban nhân dân huyện Phù Cừ"], draft.ParentReferences.Select(p => p.Value));
    }

    [Fact]
    public void Ocr_look_alikes_and_spaced_figures_in_deadlines_and_targets()
    {
        var draft = Read("KẾ HOẠCH năm 2024\nBáo cáo sơ kết 6 tháng gwi trw6c ngày 1 5/6; báo cáo tổng kết n&m gửi trước ngày O1/12. Phấn đấu từ 8 7,5% trở Iên khu dân cư đạt tiêu chuẩn an to&n về an ninh, trật tự.");
        Assert.Equal(new Dictionary<string, DateOnly> { ["2024-H1"] = new(2024, 6, 15), ["2024-Y"] = new(2024, 12, 1) }, Deadlines(draft));
        var target = SingleTarget(draft);
        Assert.Equal(("PCT_KDC_SAFE", ">=", 87.5m), (target.Indicator, target.Comparator, target.Value));
    }

    [Fact]
    public void Issuer_without_diacritics_and_its_level()
    {
        var draft = Read("KE HOACH nam 2024\nThuc hien Nghi quyet so 55-NQ/TU, ngay 22/12/2023 cua Ban Thuong vu Tinh uy; Ban Chi dao phong, chong toi pham, te nan xa hoi huyen Phu Cu ban hanh Ke hoach nhu sau:\nI. MUC DICH");
        Assert.Equal("Ban Chi dao phong, chong toi pham, te nan xa hoi huyen Phu Cu", draft.IssuerName?.Value);
        Assert.Equal(IssuerLevel.District, draft.IssuerLevel?.Value);
        Assert.Equal(["Nghi quyet so 55-NQ/TU, ngay 22/12/2023"], draft.ParentReferences.Select(p => p.Value));
    }

    [Fact]
    public void Xa_hoi_in_a_name_does_not_make_it_a_commune()
    {
        var draft = Read("KẾ HOẠCH năm 2024\nThực hiện Chương trình số 02/CTr-BCA-V05 ngày 16/01/2024; Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội tỉnh Lâm Đồng ban hành kế hoạch:\nI. MỤC ĐÍCH");
        Assert.Equal(IssuerLevel.Province, draft.IssuerLevel?.Value);
    }

    // ------------------------------------------------------------ text handling

    [Fact]
    public void Marks_the_pdf_put_on_the_wrong_letter_are_moved_back()
    {
        Assert.Equal("thực hiện đạt mô hình tự phòng, tự bảo vệ, trật tự\"", FoldedText.Clean("thưc̣ hiêṇ đaṭ mô hiǹh tư ̣phòng, tư ̣bảo vê,̣ trâṭ tư”̣"));
    }

    [Fact]
    public void Decomposed_input_reads_the_same_and_spans_point_into_it()
    {
        const string text = "KẾ HOẠCH năm 2024\n- Định kỳ 6 tháng (trước ngày 15/6/2024) báo cáo về Công an tỉnh.";
        var nfd = text.Normalize(NormalizationForm.FormD);
        var draft = Read(nfd);
        var deadline = Assert.Single(draft.Deadlines).Value;
        Assert.Equal(new DateOnly(2024, 6, 15), deadline.Value);
        Assert.Equal(nfd.Substring(deadline.Span.Start, deadline.Span.Length), deadline.Span.Snippet);
        Assert.Equal("trước ngày 15/6/2024", deadline.Span.Snippet.Normalize(NormalizationForm.FormC));
        Assert.Equal("Công an tỉnh", draft.ReportTo?.Value);
    }

    [Fact]
    public void Issuer_names_get_the_current_tone_placement()
    {
        Assert.Equal("Ủy ban nhân dân xã Hòa Bình, tỉnh Khánh Hòa quý", VietnameseNames.ModernTones("Uỷ ban nhân dân xã Hoà Bình, tỉnh Khánh Hoà quý"));
    }

    [Fact]
    public void An_empty_text_gives_an_empty_draft()
    {
        var draft = Read("   ");
        Assert.Null(draft.Year);
        Assert.Null(draft.IssuerName);
        Assert.Empty(draft.ParentReferences);
        Assert.Empty(draft.Deadlines);
        Assert.Empty(draft.Targets);
    }
}
