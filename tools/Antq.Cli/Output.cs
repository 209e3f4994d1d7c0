using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Antq.Calendar;

namespace Antq.Cli;

/// <summary>
/// What a command prints: for a person, aligned tables with Vietnamese numbers (1.234,5) and dates (dd/MM/yyyy, Vietnam
/// time); for a script (<c>--json</c>), the API's answer as JSON and nothing else on standard output.
/// </summary>
public sealed class Output(TextWriter writer, bool json)
{
    static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public bool Json { get; } = json;

    public TextWriter Writer { get; } = writer;

    /// <summary>Prints the answer as JSON (with <c>--json</c>) or calls <paramref name="human"/> to print it for a person.</summary>
    public void Show<T>(T answer, Action human)
    {
        if (Json) Writer.WriteLine(JsonSerializer.Serialize(answer, JsonOptions));
        else human();
    }

    public void Line(string text = "")
    {
        if (!Json) Writer.WriteLine(text);
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var all = rows.Select(r => r.Select(c => c ?? "").ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => i < r.Count ? r[i].Length : 0))).ToList();
        string Format(IReadOnlyList<string> cells) =>
            string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w))).TrimEnd();
        Writer.WriteLine(Format(headers));
        Writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all) Writer.WriteLine(Format(row));
    }

    public static string Number(decimal? value) => value is null ? "" : value.Value.ToString("#,##0.##", Vietnamese);

    public static string Number(double? value) => value is null ? "" : value.Value.ToString("#,##0.##", Vietnamese);

    public static string Number(int value) => value.ToString("#,##0", Vietnamese);

    public static string Date(DateTimeOffset? instant) => instant is null ? "" : VietnamTime.Timestamp(instant.Value);

    /// <summary>A calendar date of the API (a unit's validity), as it was written: no time zone to apply.</summary>
    public static string Day(DateTimeOffset? date) => date?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "";

    public static string YesNo(bool? value) => value switch { true => "có", false => "không", null => "" };

    /// <summary>A report's status in words.</summary>
    public static string ReportStatus(string? status) => status switch
    {
        Statuses.Draft => "đang soạn",
        Statuses.Submitted => "đã nộp",
        Statuses.Returned => "bị trả lại",
        Statuses.Accepted => "đã duyệt",
        Statuses.Missing or "none" or null => "chưa nộp",
        _ => status,
    };

    /// <summary>A report's status as Reporting writes it on the wire.</summary>
    public static class Statuses
    {
        public const string Draft = "draft";
        public const string Submitted = "submitted";
        public const string Returned = "returned";
        public const string Accepted = "accepted";
        public const string Missing = "missing";
    }
}
