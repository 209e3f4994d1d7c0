using System.ComponentModel.DataAnnotations;

namespace Antq.Settings;

/// <summary>A number or a duration above zero: a count of things, an interval, a timeout.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute : ValidationAttribute
{
    public PositiveAttribute() : base("must be positive") { }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan span => span > TimeSpan.Zero,
        int number => number > 0,
        long number => number > 0,
        double number => number > 0,
        _ => false,
    };
}

/// <summary>A duration from <see cref="Minimum"/> to <see cref="Maximum"/> (written as TimeSpan: <c>1.00:00:00</c> is a day).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute(string minimum, string maximum) : ValidationAttribute("must be from {1} to {2}")
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, System.Globalization.CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= Minimum && span <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, ErrorMessageString, name, Minimum, Maximum);
}
