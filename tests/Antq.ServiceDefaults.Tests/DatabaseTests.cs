using Npgsql;

namespace Antq.ServiceDefaults.Tests;

/// <summary>The connection settings every service gets, and that a deployment can still override.</summary>
public sealed class DatabaseTests
{
    [Fact]
    public void Statements_are_prepared_and_connections_not_reset_unless_the_connection_string_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(Database.Tuned("Host=db;Port=5432;Username=antq;Password=x;Database=antq_plan;Maximum Pool Size=10"));

        Assert.Equal(128, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(10, tuned.MaxPoolSize);
        Assert.Equal("antq_plan", tuned.Database);
    }

    [Theory]
    [InlineData("Host=db;Database=d;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=db;Database=d;maxautoprepare=7;NoResetOnClose=false", 7, false)]
    public void A_setting_the_deployment_gives_is_kept(string connectionString, int maxAutoPrepare, bool noReset)
    {
        var tuned = new NpgsqlConnectionStringBuilder(Database.Tuned(connectionString));

        Assert.Equal(maxAutoPrepare, tuned.MaxAutoPrepare);
        Assert.Equal(noReset, tuned.NoResetOnClose);
    }
}
