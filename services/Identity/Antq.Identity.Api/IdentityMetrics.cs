using System.Diagnostics.Metrics;

namespace Antq.Identity.Api;

/// <summary>
/// Identity's own work (meter <c>Antq.Identity</c>, served at <c>/metrics</c>; see docs/observability.md):
/// <c>antq.identity.sign_ins</c> (password sign-ins at the token endpoint and the login form, by outcome:
/// <c>succeeded</c>, <c>wrong_credentials</c> — an unknown name or a wrong password, never told apart —,
/// <c>locked</c>, <c>disabled</c>) and <c>antq.identity.lockouts</c> (an account locked for an address after too many
/// wrong passwords in a row). A password checked to change it is not a sign-in.
/// </summary>
public static class IdentityMetrics
{
    public const string MeterName = "Antq.Identity";

    static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> SignIns = Meter.CreateCounter<long>("antq.identity.sign_ins", "{sign_in}",
        "Password sign-ins by outcome: succeeded, wrong_credentials, locked, disabled.");

    static readonly Counter<long> Lockouts = Meter.CreateCounter<long>("antq.identity.lockouts", "{lockout}",
        "Accounts locked for a client address after too many wrong passwords in a row.");

    public static void SignedIn(string outcome) => SignIns.Add(1, new KeyValuePair<string, object?>("antq.identity.outcome", outcome));

    public static void LockedOut() => Lockouts.Add(1);
}
