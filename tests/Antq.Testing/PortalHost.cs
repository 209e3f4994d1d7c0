namespace Antq.Testing;

/// <summary>
/// The settings of a portal run in process behind a gateway at <c>address</c> (tests/Antq.EndToEnd, the demo season of
/// tests/Antq.Journeys): it signs people in there, calls the API there, and hears Reporting's events on the virtual host.
/// </summary>
public static class PortalHost
{
    public static Dictionary<string, string?> Settings(string address, string publicKey, TestVirtualHost vhost) => new()
    {
        ["Portal:Authority"] = address,
        ["Auth:Issuer"] = address,
        ["Auth:SigningKeyPem"] = publicKey,
        ["ConnectionStrings:rabbitmq"] = vhost.AmqpUri,
        ["Bus:ManagementUrl"] = TestEnvironment.RabbitApi,
    };

    /// <summary>What Identity must know of that portal: where it may send a person back after signing in and out.</summary>
    public static void Register(Dictionary<string, string?> identitySettings, string address)
    {
        identitySettings["Identity:PortalRedirectUris"] = address + "signin-oidc";
        identitySettings["Identity:PortalPostLogoutRedirectUris"] = address;
    }
}
