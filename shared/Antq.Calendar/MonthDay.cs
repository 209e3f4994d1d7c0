using System.ComponentModel;
using System.Globalization;

namespace Antq.Calendar;

/// <summary>
/// A day of the year without its year, written MM-dd ("06-14"): how the data window settings name their days. A
/// 29 February falls on 28 February in a year that has none.
/// </summary>
[TypeConverter(typeof(MonthDayConverter))]
public readonly record struct MonthDay : IComparable<MonthDay>
{
    public MonthDay(int month, int day)
    {
        if (month is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(month), month, "A month is 1 to 12.");
        if (day < 1 || day > DateTime.DaysInMonth(2000, month)) throw new ArgumentOutOfRangeException(nameof(day), day, $"Month {month} has no day {day}.");
        Month = month;
        Day = day;
    }

    public int Month { get; }

    public int Day { get; }

    /// <summary>This day in <paramref name="year"/>.</summary>
    public DateOnly In(int year) => new(year, Month, Math.Min(Day, DateTime.DaysInMonth(year, Month)));

    public static MonthDay Of(DateOnly date) => new(date.Month, date.Day);

    /// <summary>"06-14" (also "6-14").</summary>
    public static bool TryParse(string? text, out MonthDay value)
    {
        value = default;
        var parts = text?.Trim().Split('-');
        if (parts is not [var m, var d] || m.Length is < 1 or > 2 || d.Length is < 1 or > 2) return false;
        if (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12) return false;
        if (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day < 1 || day > DateTime.DaysInMonth(2000, month)) return false;
        value = new MonthDay(month, day);
        return true;
    }

    public static MonthDay Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a day of the year written MM-dd, such as 06-14.");

    public int CompareTo(MonthDay other) => (Month, Day).CompareTo((other.Month, other.Day));

    public static bool operator <(MonthDay left, MonthDay right) => left.CompareTo(right) < 0;

    public static bool operator >(MonthDay left, MonthDay right) => left.CompareTo(right) > 0;

    public static bool operator <=(MonthDay left, MonthDay right) => left.CompareTo(right) <= 0;

    public static bool operator >=(MonthDay left, MonthDay right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Month:00}-{Day:00}";
}

/// <summary>Lets configuration bind "06-14" to a <see cref="MonthDay"/>.</summary>
public sealed class MonthDayConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? MonthDay.Parse(text) : base.ConvertFrom(context, culture, value);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is MonthDay day ? day.ToString() : base.ConvertTo(context, culture, value, destinationType);
}
