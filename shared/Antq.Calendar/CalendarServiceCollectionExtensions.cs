using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Antq.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="DataWindowOptions"/> from section <c>DataWindow</c> (<c>Start</c>, <c>SixMonthEnd</c>,
    /// <c>AnnualEnd</c>, each MM-dd), over the keys that held the window before it was one setting, over the defaults.
    /// A process whose settings are not a window does not start.
    /// </summary>
    public static IServiceCollection AddDataWindow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataWindowOptions>()
            .Configure(options => DataWindowSettings.Read(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataWindowOptions>, DataWindowValidation>());
        return services;
    }

    sealed class DataWindowValidation : IValidateOptions<DataWindowOptions>
    {
        public ValidateOptionsResult Validate(string? name, DataWindowOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Reads the data window from configuration. Before the calendar was shared, each service kept its own copy of the
/// window under its own keys; those keys are still honoured, where <c>DataWindow:Start</c>, <c>DataWindow:SixMonthEnd</c>
/// or <c>DataWindow:AnnualEnd</c> is not set:
/// <list type="bullet">
/// <item><c>Deadlines:SixMonthDataWindowEnd</c>, <c>Deadlines:AnnualDataWindowEnd</c> (MM-dd; Plan);</item>
/// <item><c>Classification:HierarchyDate</c> (MM-dd, the annual window's end; Classification);</item>
/// <item><c>DataWindow:StartMonth</c>/<c>StartDay</c>, <c>HalfYearEndMonth</c>/<c>HalfYearEndDay</c>,
/// <c>YearEndMonth</c>/<c>YearEndDay</c> (numbers; Reporting).</item>
/// </list>
/// </summary>
public static class DataWindowSettings
{
    public static void Read(IConfiguration configuration, DataWindowOptions options)
    {
        var section = configuration.GetSection(DataWindowOptions.Section);
        options.Start = FromNumbers(section, "StartMonth", "StartDay", options.Start);
        options.SixMonthEnd = FromNumbers(section, "HalfYearEndMonth", "HalfYearEndDay", options.SixMonthEnd);
        options.AnnualEnd = FromNumbers(section, "YearEndMonth", "YearEndDay", options.AnnualEnd);
        options.SixMonthEnd = FromText(configuration, "Deadlines:SixMonthDataWindowEnd", options.SixMonthEnd);
        options.AnnualEnd = FromText(configuration, "Classification:HierarchyDate", options.AnnualEnd);
        options.AnnualEnd = FromText(configuration, "Deadlines:AnnualDataWindowEnd", options.AnnualEnd);

        options.Start = FromText(configuration, $"{DataWindowOptions.Section}:{nameof(DataWindowOptions.Start)}", options.Start);
        options.SixMonthEnd = FromText(configuration, $"{DataWindowOptions.Section}:{nameof(DataWindowOptions.SixMonthEnd)}", options.SixMonthEnd);
        options.AnnualEnd = FromText(configuration, $"{DataWindowOptions.Section}:{nameof(DataWindowOptions.AnnualEnd)}", options.AnnualEnd);
    }

    static MonthDay FromText(IConfiguration configuration, string key, MonthDay otherwise)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return otherwise;
        return MonthDay.TryParse(text, out var day) ? day : throw Invalid(key, text, "a day of the year written MM-dd, such as 06-14");
    }

    static MonthDay FromNumbers(IConfigurationSection section, string monthKey, string dayKey, MonthDay otherwise)
    {
        var monthText = section[monthKey];
        var dayText = section[dayKey];
        if (string.IsNullOrWhiteSpace(monthText) && string.IsNullOrWhiteSpace(dayText)) return otherwise;
        var month = Number(section, monthKey, monthText, otherwise.Month);
        var day = Number(section, dayKey, dayText, otherwise.Day);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2000, month))
            throw new InvalidOperationException($"{section.Path}:{monthKey} and {section.Path}:{dayKey} make {month:00}-{day:00}, which is not a day of the year.");
        return new MonthDay(month, day);
    }

    static int Number(IConfigurationSection section, string key, string? text, int otherwise) =>
        string.IsNullOrWhiteSpace(text) ? otherwise
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid($"{section.Path}:{key}", text, "a number");

    static InvalidOperationException Invalid(string key, string text, string expected) =>
        new($"{key} holds '{text}', which is not {expected}.");
}
