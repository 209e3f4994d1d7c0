using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Antq.ServiceDefaults.Tests;

/// <summary>Outside local mode, connections that may travel in plaintext are refused (docs/security.md, "TLS outside local mode").</summary>
public sealed class TransportSecurityTests
{
    static ValidateOptionsResult Validate(string mode, bool allowPlaintext = false, params (string Key, string Value)[] connections)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            [new("ANTQ_MODE", mode), .. connections.Select(c => new KeyValuePair<string, string?>($"ConnectionStrings:{c.Key}", c.Value))]).Build();
        return new TransportSecurityValidation(configuration).Validate(null, new TransportSecurityOptions { AllowPlaintext = allowPlaintext });
    }

    const string Pg = "Host=db;Port=5432;Username=antq_plan_svc;Password=secret-pw;Database=antq_plan";

    [Theory]
    [InlineData("")]
    [InlineData(";SSL Mode=Prefer")]
    [InlineData(";SSL Mode=Disable")]
    [InlineData(";SSL Mode=Allow")]
    [InlineData(";sslmode=prefer")]
    public void A_database_connection_that_may_fall_back_to_plaintext_is_refused(string ssl)
    {
        var result = Validate("production", false, ("plan", Pg + ssl));

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Setting ConnectionStrings:plan: SSL Mode must be Require, VerifyCA or VerifyFull outside local mode", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(";SSL Mode=Require")]
    [InlineData(";SSL Mode=VerifyCA")]
    [InlineData(";SSL Mode=VerifyFull;Root Certificate=/run/secrets/ca.crt")]
    public void An_encrypted_database_connection_passes(string ssl) =>
        Assert.False(Validate("production", false, ("plan", Pg + ssl), ("planMigrations", Pg + ssl), ("rabbitmq", "amqps://u:p@mq:5671/antq")).Failed);

    [Fact]
    public void A_unix_socket_never_leaves_the_machine_and_passes() =>
        Assert.False(Validate("production", false, ("plan", "Host=/run/postgresql;Username=antq_plan_svc;Database=antq_plan")).Failed);

    [Fact]
    public void A_plaintext_broker_and_an_unencrypted_owner_connection_are_refused_each_in_its_line()
    {
        var result = Validate("production", false, ("plan", Pg + ";SSL Mode=Require"), ("planMigrations", Pg), ("rabbitmq", "amqp://u:secret@mq:5672/antq"));

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Setting ConnectionStrings:planMigrations: SSL Mode", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Setting ConnectionStrings:rabbitmq: must be an amqps:// address (TLS) outside local mode (was amqp://)", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("local", false)]
    [InlineData("LOCAL", false)]
    [InlineData("production", true)]
    public void Local_mode_or_an_explicit_allowance_lets_plaintext_through(string mode, bool allow) =>
        Assert.False(Validate(mode, allow, ("plan", Pg), ("rabbitmq", "amqp://u:p@mq:5672/antq")).Failed);
}
