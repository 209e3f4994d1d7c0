using System.ComponentModel.DataAnnotations;
using Antq.Calendar;

namespace Antq.Classification.Api;

/// <summary>
/// Settings (section <c>Classification</c>) whose regulation figure could not be confirmed; the defaults are the
/// documented ones and an administrator must confirm them. The year's hierarchy date is the end of the annual data
/// window, the platform's one setting (<see cref="DataWindowOptions"/>; the old key
/// <c>Classification:HierarchyDate</c> is still read there).
/// </summary>
public sealed class ClassificationOptions : IValidatableObject
{
    public const string Section = "Classification";

    /// <summary>Last day (MM-dd) of safe-standard registration (đăng ký, first quarter). Default 03-31.</summary>
    public string SafeRegistrationCloses { get; set; } = "03-31";

    public DateOnly RegistrationLastDay(int year) => MonthDay.Parse(SafeRegistrationCloses).In(year);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MonthDay.TryParse(SafeRegistrationCloses, out _))
            yield return new ValidationResult("must be a day of the year written MM-dd, such as 03-31", [nameof(SafeRegistrationCloses)]);
    }
}
