using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Antq.Bench;

/// <summary>
/// The reference of the ingest measurement, in a process of its own: a bare ASP.NET endpoint that takes the same JSON
/// body as <c>PUT /api/reports/{code}/{period}</c> and stores the report and its values with plain Npgsql in one batch
/// (one row for the report, one statement for all its values). No gateway, no token, no validation, no audit, no
/// roll-up, no outbox: the least a service could do with the same request.
/// </summary>
static class BareServer
{
    public static async Task RunAsync(int port, string connectionString)
    {
        await using var source = new NpgsqlDataSourceBuilder(connectionString + ";Maximum Pool Size=50").Build();
        await using (var create = source.CreateCommand("""
            CREATE TABLE IF NOT EXISTS bare_reports (id uuid PRIMARY KEY, org_unit_code text NOT NULL, period text NOT NULL,
                narrative jsonb NOT NULL, created_at timestamptz NOT NULL, UNIQUE (org_unit_code, period));
            CREATE TABLE IF NOT EXISTS bare_values (report_id uuid NOT NULL REFERENCES bare_reports (id), indicator text NOT NULL,
                value numeric, PRIMARY KEY (report_id, indicator));
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/bare/reports/{code}/{period}", async (string code, string period, HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var indicators = new List<string>();
            var values = new List<decimal?>();
            foreach (var value in body.RootElement.GetProperty("values").EnumerateObject())
            {
                indicators.Add(value.Name);
                values.Add(value.Value.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    JsonValueKind.Number => value.Value.GetDecimal(),
                    _ => null,
                });
            }

            var id = Guid.CreateVersion7();
            await using var batch = source.CreateBatch();
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO bare_reports (id, org_unit_code, period, narrative, created_at) VALUES ($1, $2, $3, $4::jsonb, now())")
            {
                Parameters = { new() { Value = id }, new() { Value = code }, new() { Value = period }, new() { Value = body.RootElement.GetProperty("narrative").GetRawText() } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO bare_values (report_id, indicator, value) SELECT $1, i, v FROM unnest($2::text[], $3::numeric[]) AS t(i, v)")
            {
                Parameters = { new() { Value = id }, new() { Value = indicators.ToArray() }, new() { Value = values.ToArray() } },
            });
            await batch.ExecuteNonQueryAsync();
            return Results.Created($"/bare/reports/{code}/{period}", new { id });
        });
        await app.RunAsync();
    }
}
