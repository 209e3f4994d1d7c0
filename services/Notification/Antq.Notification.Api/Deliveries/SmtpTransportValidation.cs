using Antq.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Deliveries;

/// <summary>
/// Outside local mode the mail server must be reached over TLS that cannot be dropped: <c>StartTls</c> (the server must
/// offer STARTTLS, or sending fails) or <c>SslOnConnect</c>. <c>None</c> sends in plaintext, and <c>Auto</c> (the
/// default, for the local catcher) uses STARTTLS only when the server offers it, so a man in the middle who removes the
/// offer reads every message (docs/security.md). <c>Transport:AllowPlaintext</c> (<see cref="TransportSecurityOptions"/>)
/// lifts it, as it lifts the database's and the broker's, where the network itself encrypts.
/// </summary>
public sealed class SmtpTransportValidation(IConfiguration configuration) : IValidateOptions<NotificationOptions>
{
    /// <summary>The modes that may send in plaintext; any other value is TLS, or wrong and refused by the settings' own check.</summary>
    static readonly string[] Plaintext = ["None", "Auto"];

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        if (Logs.IsLocalMode(configuration) || configuration.GetValue<bool?>($"{TransportSecurityOptions.Section}:{nameof(TransportSecurityOptions.AllowPlaintext)}") == true || !Plaintext.Contains(options.Smtp.Security, StringComparer.OrdinalIgnoreCase))
            return ValidateOptionsResult.Skip;
        return ValidateOptionsResult.Fail(
            $"Setting {NotificationOptions.Section}:Smtp:Security: must be StartTls or SslOnConnect outside local mode (was {options.Smtp.Security})");
    }
}
