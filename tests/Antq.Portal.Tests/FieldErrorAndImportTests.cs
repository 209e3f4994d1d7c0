using System.Text;
using Antq.Portal.Components.Shared;
using Antq.Portal.Imports;

namespace Antq.Portal.Tests;

/// <summary>Where a service's field messages go on a form, and the rows an import says it is working through.</summary>
public sealed class FieldErrorAndImportTests
{
    static readonly Dictionary<string, string[]> Errors = new()
    {
        ["OrgUnitCode"] = ["Không có đơn vị mã 99."],
        ["targets[0].value"] = ["Giá trị chỉ tiêu phải là số."],
        ["targets[1]"] = ["Chỉ tiêu TIPS_X không có trong danh mục."],
        ["targetsOf"] = ["Khác."],
        ["deadlines.2026-Y"] = ["Hạn nộp phải trước 31/12/2026."],
    };

    [Fact]
    public void A_fields_messages_are_found_in_any_letter_case_and_with_its_parts_only_when_asked()
    {
        Assert.Equal(["Không có đơn vị mã 99."], FieldError.For(Errors, "orgUnitCode"));
        Assert.Empty(FieldError.For(Errors, "targets"));
        Assert.Equal(["Giá trị chỉ tiêu phải là số.", "Chỉ tiêu TIPS_X không có trong danh mục."], FieldError.For(Errors, "targets", nested: true));
        Assert.Equal(["Chỉ tiêu TIPS_X không có trong danh mục."], FieldError.For(Errors, "targets[1]", nested: true));
        Assert.Equal("err-deadlines-2026-Y", FieldError.DescribedBy(Errors, "deadlines.2026-Y"));
        Assert.Equal("true", FieldError.Invalid(Errors, "deadlines.2026-Y"));
        Assert.Null(FieldError.DescribedBy(Errors, "title"));
        Assert.Null(FieldError.Invalid(Errors, "title"));
    }

    [Fact]
    public void Messages_of_fields_the_form_has_no_place_for_are_kept_for_its_general_message()
    {
        Assert.Equal(["Khác."], FieldError.Unplaced(Errors, "orgUnitCode", "targets", "deadlines.2026-Y"));
        Assert.Empty(FieldError.Unplaced(Errors, "orgUnitCode", "targets", "targetsOf", "deadlines.2026-Y"));
    }

    [Fact]
    public void A_csv_counts_its_records_after_the_header_with_quoted_line_breaks_and_blank_lines_ignored()
    {
        var csv = "code,name,kind,parentCode\r\n14758-TDP01,Tổ dân phố 1,ResidentialArea,14758\r\n\r\n14758-CQ1,\"Trường THCS\nHàm Rồng\",School,14758\n14758-TDP02,Tổ 2,ResidentialArea,14758";
        Assert.Equal(3, ImportRows.Count(Encoding.UTF8.GetBytes(csv), csv: true));
        Assert.Equal(0, ImportRows.Count(Encoding.UTF8.GetBytes("code,name,kind,parentCode\n"), csv: true));
        // Excel's "CSV UTF-8": a BOM, ';' between fields, a quoted name holding the separator.
        var excel = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("code;name;kind;parentCode\r\n14758-TDP01;\"Tổ 1; khu A\";ResidentialArea;14758\r\n14758-TDP02;Tổ 2;ResidentialArea;14758\r\n")).ToArray();
        Assert.Equal(2, ImportRows.Count(excel, csv: true));
    }

    [Fact]
    public void A_catalogue_file_counts_every_unit_at_every_level()
    {
        var json = """[{"Code":"38","FullName":"Tỉnh Thanh Hóa","Wards":[{"Code":"14758","FullName":"Phường Hàm Rồng"},{"Code":"14845","FullName":"Xã Mường Lát"}]}]""";
        Assert.Equal(3, ImportRows.Count(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray(), csv: false));
        Assert.Null(ImportRows.Count(Encoding.UTF8.GetBytes("[{\"Code\":"), csv: false));
    }
}
