namespace Antq.Contracts.Audit;

/// <summary>
/// An administrator performed an administrative act in a service (imported units, published a catalogue, recomputed
/// roll-ups, …), committed in the same transaction as the act itself. Several services publish it (Plan, Reporting,
/// Classification), so it lives in a folder of its own rather than a publisher's. Identity keeps every one in the
/// platform's audit trail (<c>GET /api/users/audit</c>); <see cref="Id"/> names the entry, so a redelivery adds nothing.
/// </summary>
public sealed record AdministrativeActPerformed
{
    public required Guid Id { get; init; }

    /// <summary>The service the act was performed in, by its short name: plan, reporting, classification.</summary>
    public required string Service { get; init; }

    /// <summary>User name of the administrator who acted.</summary>
    public required string Actor { get; init; }

    /// <summary>What was done, as a stable code: <c>org-units.imported</c>, <c>catalogue.published</c>, …</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to: a unit code, a catalogue version, a period, …</summary>
    public required string Subject { get; init; }

    /// <summary>The outcome in a line of Vietnamese (counts, versions), for the administrator who reads the trail.</summary>
    public string? Detail { get; init; }

    /// <summary>The address the request came from, as the service saw it behind the gateway.</summary>
    public string? Address { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
