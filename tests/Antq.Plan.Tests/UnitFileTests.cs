using System.Text;
using Antq.Plan.Api.Units;

namespace Antq.Plan.Tests;

public sealed class UnitFileTests
{
    [Fact]
    public void The_three_tier_list_is_recognised_with_its_provinces_districts_and_communes()
    {
        var file = RealData.ThreeTier;
        Assert.Equal(UnitFileFormat.ThreeTier, file.Format);
        Assert.Equal(63, file.Units.Count(u => u.Kind == OrgUnitKind.Province));
        Assert.Equal(696, file.Units.Count(u => u.Kind == OrgUnitKind.District));
        Assert.Equal(10035, file.Units.Count(u => u.Kind == OrgUnitKind.Commune));
        Assert.All(file.Units.Where(u => u.Kind == OrgUnitKind.Province), p => Assert.Equal("BCA", p.ParentCode));
    }

    [Fact]
    public void The_two_tier_list_is_recognised_with_its_sub_kinds()
    {
        var file = RealData.TwoTier;
        Assert.Equal(UnitFileFormat.TwoTier, file.Format);
        Assert.Equal(34, file.Units.Count(u => u.Kind == OrgUnitKind.Province));
        var communes = file.Units.Where(u => u.Kind == OrgUnitKind.Commune).ToList();
        Assert.Equal(3321, communes.Count);
        // As of July 2026 (some xã became phường since 1 July 2025, e.g. in Đồng Nai), lower-case "xã" included.
        Assert.Equal(2611, communes.Count(c => c.CommuneKind == CommuneKind.Xa));
        Assert.Equal(697, communes.Count(c => c.CommuneKind == CommuneKind.Phuong));
        Assert.Equal(13, communes.Count(c => c.CommuneKind == CommuneKind.DacKhu));
    }

    [Fact]
    public void A_bad_file_is_refused_saying_what_and_where()
    {
        var json = """[{"Code":"01","FullName":"Thành phố Hà Nội","Wards":[{"Code":"00004","FullName":"Phường Ba Đình","ProvinceCode":"01"},{"Code":"","FullName":"Phường Ngọc Hà","ProvinceCode":"01"},{"Code":"00004","FullName":"Khu Lạ","ProvinceCode":"02"}]}]""";
        var ex = Assert.Throws<UnitFileException>(() => DvhcFileParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(ex.Errors, e => e.Contains("Tỉnh thứ 1 (mã 01), xã thứ 2: thiếu mã (Code)"));
        Assert.Contains(ex.Errors, e => e.Contains("mã 00004 bị trùng"));
    }

    [Fact]
    public void Unknown_shapes_and_broken_json_are_refused()
    {
        Assert.Contains("Không nhận ra định dạng", Assert.Throws<UnitFileException>(() => DvhcFileParser.Parse("""[{"ma":"01"}]"""u8)).Errors[0]);
        Assert.Contains("không phải JSON hợp lệ", Assert.Throws<UnitFileException>(() => DvhcFileParser.Parse("""[{"Code": """u8)).Errors[0]);
    }

    [Fact]
    public void Csv_adds_units_below_the_commune()
    {
        var file = CsvUnitParser.Parse("code,name,kind,parentCode\nKDC-1,Thôn Đông,ResidentialArea,00004\nTH-1,\"Trường Tiểu học Ba Đình, cơ sở 2\",School,00004\n");
        Assert.Equal(2, file.Units.Count);
        Assert.Equal("Trường Tiểu học Ba Đình, cơ sở 2", file.Units[1].Name);
        Assert.Empty(file.CompleteKinds);
        var ex = Assert.Throws<UnitFileException>(() => CsvUnitParser.Parse("X1,Thôn A,Province,00004"));
        Assert.Contains("Dòng 1: loại \"Province\" không hợp lệ", ex.Errors[0]);
    }

    [Fact]
    public void Reimporting_the_same_file_on_the_same_date_changes_nothing()
    {
        var first = RealData.Versions(RealData.TwoTier, UnitFile.ReformDate);
        var again = UnitImportPlan.Build(RealData.TwoTier, UnitFile.ReformDate, first, new Dictionary<string, DateOnly>());
        Assert.Empty(again.ToCreate);
        Assert.Empty(again.ToClose);
        Assert.Equal(first.Count, again.Unchanged.Count);
    }

    [Fact]
    public void The_two_tier_list_on_the_reform_date_closes_every_district_and_replaces_changed_units()
    {
        var old = RealData.Versions(RealData.ThreeTier, new DateOnly(2020, 1, 1));
        var plan = UnitImportPlan.Build(RealData.TwoTier, UnitFile.ReformDate, old, new Dictionary<string, DateOnly>());
        Assert.Equal(696, plan.ToClose.Count(u => u.Kind == OrgUnitKind.District));
        Assert.Equal(10035, plan.ToClose.Count(u => u.Kind == OrgUnitKind.Commune)); // every commune now has a province as parent
        Assert.Equal(3321 + 34, plan.ToCreate.Count + plan.Unchanged.Count);
    }
}
