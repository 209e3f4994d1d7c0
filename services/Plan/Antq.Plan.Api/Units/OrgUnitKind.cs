namespace Antq.Plan.Api.Units;

public enum OrgUnitKind
{
    /// <summary>Bộ Công an, the root.</summary>
    Ministry,
    /// <summary>Tỉnh, thành phố trực thuộc trung ương.</summary>
    Province,
    /// <summary>Huyện, quận, thị xã, thành phố thuộc tỉnh (only until 30 June 2025).</summary>
    District,
    /// <summary>Xã, phường, đặc khu, thị trấn.</summary>
    Commune,
    /// <summary>Khu dân cư: thôn, tổ dân phố.</summary>
    ResidentialArea,
    /// <summary>Cơ quan.</summary>
    Agency,
    /// <summary>Doanh nghiệp.</summary>
    Enterprise,
    /// <summary>Cơ sở giáo dục.</summary>
    School,
    /// <summary>A police unit that is not an administrative unit (e.g. Công an xã).</summary>
    PoliceUnit,
}

public enum CommuneKind
{
    /// <summary>Xã.</summary>
    Xa,
    /// <summary>Phường.</summary>
    Phuong,
    /// <summary>Đặc khu.</summary>
    DacKhu,
    /// <summary>Thị trấn.</summary>
    ThiTran,
}
