using Antq.Plan.Api.Lineage;
using Antq.Plan.Api.Units;

namespace Antq.Plan.Tests;

public sealed class VietnameseTextTests
{
    [Theory]
    [InlineData("Ngọc Liên", "ngoc lien")]
    [InlineData("  Phường  Đống Đa ", "phuong dong da")]
    [InlineData("Xã Đắk R'Moan", "xa dak r moan")]
    [InlineData("Văn Miếu - Quốc Tử Giám", "van mieu quoc tu giam")]
    [InlineData("THỊ TRẤN Đồng Văn", "thi tran dong van")]
    public void Normalizing_removes_diacritics_maps_d_and_lower_cases(string text, string expected) =>
        Assert.Equal(expected, VietnameseText.Normalize(text));

    [Fact]
    public void Old_and_new_tone_placement_are_the_same_name_but_tones_still_count()
    {
        Assert.Equal(VietnameseText.Accented("Thanh Hoá"), VietnameseText.Accented("Thanh Hóa"));
        Assert.NotEqual(VietnameseText.Accented("Thanh Tân"), VietnameseText.Accented("Thành Tân"));
        Assert.Equal(VietnameseText.Normalize("Thanh Tân"), VietnameseText.Normalize("Thành Tân"));
    }

    [Theory]
    [InlineData("Xã Tân Lập", CommuneKind.Xa)]
    [InlineData("Phường Ba Đình", CommuneKind.Phuong)]
    [InlineData("Đặc khu Côn Đảo", CommuneKind.DacKhu)]
    [InlineData("Thị trấn Vôi", CommuneKind.ThiTran)]
    [InlineData("Huyện Ba Vì", null)]
    public void A_communes_sub_kind_comes_from_its_name(string name, CommuneKind? expected) =>
        Assert.Equal(expected, UnitNames.CommuneKindOf(name));
}

public sealed class PredecessorTextParserTests
{
    static IReadOnlyList<PredecessorReference> Parse(string text) => PredecessorTextParser.Parse(text).References;

    [Fact]
    public void Whole_units_are_split_on_commas_and_va()
    {
        var refs = Parse("Xã Bắc Sơn, Xã Hồng Kỳ, Xã Nam Sơn và Xã Trung Giã");
        Assert.Equal(["bac son", "hong ky", "nam son", "trung gia"], refs.Select(r => r.BaseName));
        Assert.All(refs, r => Assert.False(r.Partial));
        Assert.All(refs, r => Assert.Equal("xa", r.Type));
    }

    [Fact]
    public void Kept_as_it_was()
    {
        Assert.True(PredecessorTextParser.Parse("giữ nguyên").Kept);
    }

    [Fact]
    public void A_district_in_brackets_is_a_hint_not_a_unit()
    {
        var refs = Parse("Xã Chiềng Chung (huyện Mai Sơn), Xã Mường Chanh");
        Assert.Equal(2, refs.Count);
        Assert.Equal("mai son", refs[0].Hint);
        Assert.Null(refs[1].Hint);
    }

    [Fact]
    public void The_remainder_in_brackets_is_partial_and_its_commas_do_not_split()
    {
        var refs = Parse("Xã Khánh Hội, Xã Khánh Lâm (phần còn lại sau khi sáp nhập vào xã U Minh, xã Nguyễn Phích), Xã Tân Ân");
        Assert.Equal(["khanh hoi", "khanh lam", "tan an"], refs.Select(r => r.BaseName));
        Assert.Equal([false, true, false], refs.Select(r => r.Partial));
    }

    [Fact]
    public void Part_of_the_land_of_one_unit_marks_only_that_unit()
    {
        var refs = Parse("Phường Nguyễn Trãi, Xã Phương Thiện, và một phần diện tích tự nhiên, quy mô dân số Phường Quang Trung");
        Assert.Equal(["nguyen trai", "phuong thien"], refs.Take(2).Select(r => r.BaseName));
        Assert.False(refs[0].Partial);
        Assert.Equal("quang trung", refs[^1].BaseName);
        Assert.True(refs[^1].Partial);
    }

    [Fact]
    public void Part_of_the_land_of_several_units_marks_every_one_after_it()
    {
        var refs = Parse("Phường Thịnh Quang, một phần diện tích TN, quy mô dân số của các phường Phường Quang Trung (quận Đống Đa), Phường Láng Hạ, Phường Nam Đồng");
        Assert.Equal(["thinh quang", "phuong quang trung", "lang ha", "nam dong"], refs.Select(r => r.BaseName));
        Assert.Equal([false, true, true, true], refs.Select(r => r.Partial));
        Assert.Equal("dong da", refs[1].Hint);
    }

    [Fact]
    public void The_whole_land_of_several_units_keeps_them_whole()
    {
        var refs = Parse("Toàn bộ  diện tích TN, quy mô dân số của các phường Phường Giảng Võ và Phường Cát Linh, Phường Kim Mã (phần còn lại sau khi sáp nhập vào phường Ba Đình, phường Ngọc Hà)");
        // "các phường Phường Giảng Võ": the doubled type stays in the name here; resolving tries it with and without.
        Assert.Equal(["phuong giang vo", "cat linh", "kim ma"], refs.Select(r => r.BaseName));
        Assert.Equal("giang vo", refs[0].WithoutSecondType()!.BaseName);
        Assert.Equal([false, false, true], refs.Select(r => r.Partial));
    }

    [Fact]
    public void The_rest_of_a_unit_after_the_arrangement_is_partial()
    {
        var refs = Parse("Xã Việt Hưng, Xã Đại Đồng, phần còn lại của xã Xã Đình Dù và Xã Lạc Đạo");
        var dinhDu = refs.Single(r => r.BaseName.EndsWith("dinh du"));
        Assert.True(dinhDu.Partial);
        Assert.False(refs.Single(r => r.BaseName == "lac dao").Partial);

        var sauKhi = Parse("Phường Nông Tiến, Xã Tràng Đà, và phần còn lại của  Xã Thái Bình sau khi sắp xếp");
        Assert.Equal("thai binh", sauKhi[^1].BaseName);
        Assert.True(sauKhi[^1].Partial);
    }

    [Fact]
    public void Names_that_start_like_a_type_keep_their_words()
    {
        var refs = Parse("Phường Quán Thánh, Phường Phương Mai, Xã Xá Nhè, Xã Tịnh Khê");
        Assert.Equal(["quan thanh", "phuong mai", "xa nhe", "tinh khe"], refs.Select(r => r.BaseName));
    }

    [Fact]
    public void A_province_line_names_the_old_provinces_and_ignores_the_later_note()
    {
        var refs = Parse("tỉnh Bình Phước và tỉnh Đồng Nai. Từ ngày 30%/04%/2026, Tỉnh Đồng Nai mới (sau sáp nhập) chuyển thành Thành phố Đồng Nai");
        Assert.Equal(["binh phuoc", "dong nai"], refs.Select(r => r.BaseName));
        Assert.Equal(["tphcm", "ba ria vung tau", "binh duong"], Parse("TPHCM, tỉnh Bà Rịa - Vũng Tàu và tỉnh Bình Dương").Select(r => r.BaseName));
    }
}
