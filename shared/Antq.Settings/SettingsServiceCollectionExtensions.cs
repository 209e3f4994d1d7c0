using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Antq.Settings;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// <typeparamref name="TOptions"/> bound from <paramref name="section"/> and checked when the process starts: its
    /// data annotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> rules, on it and on
    /// the settings classes it holds, each failure one line naming the full key (<see cref="SettingsValidation{TOptions}"/>).
    /// Every options class of the platform is registered this way, so a wrong value stops the start instead of
    /// surfacing at the first request or job that reads it.
    /// </summary>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SettingsValidation<TOptions>(section)));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
