using Antq.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Antq.ServiceDefaults;

/// <summary>
/// Settings of <c>Transport</c>: outside local mode (<c>ANTQ_MODE</c> other than <c>local</c>) a process refuses to
/// start when its connection to PostgreSQL may travel in plaintext (<c>SSL Mode</c> other than Require, VerifyCA or
/// VerifyFull; the default, Prefer, falls back to plaintext without a word) or its connection to RabbitMQ is not
/// <c>amqps://</c> (docs/security.md). <see cref="AllowPlaintext"/> lifts both, for a network that is itself encrypted
/// and authenticated (a service mesh's mutual TLS, a Unix socket): a deliberate, named choice, never the default.
/// </summary>
public sealed class TransportSecurityOptions
{
    public const string Section = "Transport";

    /// <summary>Plaintext database and broker connections outside local mode; false unless an operator says so.</summary>
    public bool AllowPlaintext { get; set; }
}

/// <summary>
/// The check of <see cref="TransportSecurityOptions"/> against the connection strings: one line per connection that
/// may travel in plaintext, naming its key (never its value, which holds a password).
/// </summary>
public sealed class TransportSecurityValidation(IConfiguration configuration) : IValidateOptions<TransportSecurityOptions>
{
    static readonly SslMode[] Encrypted = [SslMode.Require, SslMode.VerifyCA, SslMode.VerifyFull];

    public ValidateOptionsResult Validate(string? name, TransportSecurityOptions options)
    {
        if (options.AllowPlaintext || Logs.IsLocalMode(configuration)) return ValidateOptionsResult.Skip;
        var failures = Failures(configuration.GetSection("ConnectionStrings")).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The connections of <paramref name="connectionStrings"/> that may travel in plaintext, one line each.</summary>
    public static IEnumerable<string> Failures(IConfigurationSection connectionStrings)
    {
        foreach (var entry in connectionStrings.GetChildren())
        {
            var value = entry.Value;
            if (string.IsNullOrWhiteSpace(value)) continue;
            var key = $"ConnectionStrings:{entry.Key}";
            if (value.Contains("://", StringComparison.Ordinal))
            {
                if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps")
                {
                    if (uri.Scheme != "amqps")
                        yield return $"Setting {key}: must be an amqps:// address (TLS) outside local mode (was {uri.Scheme}://); " +
                                     $"{TransportSecurityOptions.Section}:{nameof(TransportSecurityOptions.AllowPlaintext)}=true only where the network encrypts";
                }
                continue;
            }

            var builder = PostgresConnection(value);
            if (builder is null)
            {
                yield return $"Setting {key}: cannot be read as a PostgreSQL connection string";
                continue;
            }

            // A Unix socket never leaves the machine.
            if (builder.Host?.StartsWith('/') == true) continue;
            if (!Encrypted.Contains(builder.SslMode))
                yield return $"Setting {key}: SSL Mode must be Require, VerifyCA or VerifyFull outside local mode (was {builder.SslMode}); " +
                             $"{TransportSecurityOptions.Section}:{nameof(TransportSecurityOptions.AllowPlaintext)}=true only where the network encrypts";
        }
    }

    static NpgsqlConnectionStringBuilder? PostgresConnection(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

public static class TransportSecurityExtensions
{
    /// <summary>Registers <see cref="TransportSecurityOptions"/> and its check against the connection strings, run at start.</summary>
    public static IServiceCollection AddAntqTransportSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<TransportSecurityOptions>(configuration, TransportSecurityOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransportSecurityOptions>>(new TransportSecurityValidation(configuration)));
        return services;
    }
}
