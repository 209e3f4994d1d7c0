using Antq.Client.Classification;
using Antq.Client.Gateway;
using Antq.Client.Identity;
using Antq.Client.Notification;
using Antq.Client.Plan;
using Antq.Client.Reporting;

namespace Antq.Client;

/// <summary>
/// The platform's API through its gateway: one client per service on one <see cref="HttpClient"/>, whose base address
/// is the gateway's and whose handler adds the token (every service's routes are under the gateway's one address).
/// </summary>
public sealed class AntqApi(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public IdentityClient Identity { get; } = new(http);

    public PlanClient Plan { get; } = new(http);

    public ReportingClient Reporting { get; } = new(http);

    public ClassificationClient Classification { get; } = new(http);

    public NotificationClient Notification { get; } = new(http);

    /// <summary>What the gateway answers itself: the platform's status and the merged dead letters (docs/openapi/gateway.json).</summary>
    public GatewayClient Gateway { get; } = new(http);
}
