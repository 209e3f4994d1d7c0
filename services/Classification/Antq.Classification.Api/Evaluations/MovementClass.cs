namespace Antq.Classification.Api.Evaluations;

/// <summary>The classes of the movement (phân loại phong trào), best first.</summary>
public static class MovementClass
{
    public const string XuatSac = "XuatSac";
    public const string Kha = "Kha";
    public const string TrungBinh = "TrungBinh";
    public const string Yeu = "Yeu";

    /// <summary>Best first: a lower index is a better class.</summary>
    public static readonly IReadOnlyList<string> Ordered = [XuatSac, Kha, TrungBinh, Yeu];

    public static string Label(string @class) => @class switch
    {
        XuatSac => "Xuất sắc",
        Kha => "Khá",
        TrungBinh => "Trung bình",
        Yeu => "Yếu",
        _ => @class,
    };

    /// <summary>The catalogue indicator that counts units of this class (CLS_XUAT_SAC…).</summary>
    public static string Indicator(string @class) => @class switch
    {
        XuatSac => "CLS_XUAT_SAC",
        Kha => "CLS_KHA",
        TrungBinh => "CLS_TRUNG_BINH",
        Yeu => "CLS_YEU",
        _ => throw new ArgumentOutOfRangeException(nameof(@class), @class, null),
    };

    public static bool IsKnown(string? @class) => @class is not null && Ordered.Contains(@class);

    /// <summary>The worse of two classes.</summary>
    public static string Worse(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    public static int Rank(string @class) => Ordered.ToList().IndexOf(@class);
}
