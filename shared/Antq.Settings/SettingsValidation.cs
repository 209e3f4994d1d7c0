using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Antq.Settings;

/// <summary>
/// Validates a settings class and the settings classes it holds (properties whose type is a class of the platform),
/// recursively, with their data annotations and <see cref="IValidatableObject"/> rules. Each failure reads
/// <c>Setting Section:Path:Key: what is wrong (was value)</c>, so that an operator finds the key to fix without reading
/// code; the value of a key whose name says it is a secret (password, secret, token, key) is never shown.
/// </summary>
public sealed class SettingsValidation<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public string Section { get; } = section;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        Check(options, Section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void Check(object settings, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? result.MemberNames : [""];
            foreach (var member in members)
            {
                var property = member.Length == 0 ? null : settings.GetType().GetProperty(member);
                var key = member.Length == 0 ? path : $"{path}:{member}";
                var was = property is null ? "" : $" (was {Shown(property, property.GetValue(settings))})";
                failures.Add($"Setting {key}: {result.ErrorMessage}{was}");
            }
        }

        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && IsSettingsClass(property.PropertyType) && property.GetValue(settings) is { } inner)
                Check(inner, $"{path}:{property.Name}", failures);
        }
    }

    /// <summary>A class of the platform's own (not a string, a collection or a framework type): its members are settings too.</summary>
    public static bool IsSettingsClass(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && type.Namespace?.StartsWith("Antq", StringComparison.Ordinal) == true;

    static string Shown(PropertyInfo property, object? value)
    {
        if (IsSecret(property.Name)) return "a hidden value";
        return value switch
        {
            null => "not set",
            string text => $"'{text}'",
            IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)))}]",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }

    static bool IsSecret(string name) =>
        new[] { "Password", "Secret", "Token", "Key", "Pem" }.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));
}
