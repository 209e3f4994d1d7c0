using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Antq.ServiceDefaults;

/// <summary>
/// Logs on standard output. In local mode (<c>ANTQ_MODE=local</c>, <c>deploy/antq up</c>) readable text, as the console
/// logger writes it; anywhere else one JSON object per line (<see cref="JsonLogFormatter"/>), which a collector reads
/// without rules of its own: every line carries the service, the trace and span ids (to find the trace of a log line
/// and back), and inside a request the user and the unit of its token (<see cref="UseAntqLogScope"/>). docs/logging.md.
/// </summary>
public static class Logs
{
    public static bool IsLocalMode(IConfiguration configuration) =>
        string.Equals(configuration["ANTQ_MODE"], "local", StringComparison.OrdinalIgnoreCase);

    public static IHostApplicationBuilder AddAntqLogging(this IHostApplicationBuilder builder)
    {
        if (IsLocalMode(builder.Configuration)) return builder;

        builder.Logging.AddConsole(options => options.FormatterName = JsonLogFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
        });
        return builder;
    }

    /// <summary>
    /// Inside an authenticated request, every log line names the account (<c>user</c>) and its unit (<c>unit</c>),
    /// from the token's claims. Goes after authentication.
    /// </summary>
    public static IApplicationBuilder UseAntqLogScope(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Antq.Request");
        return app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await next(context);
                return;
            }

            var scope = new Dictionary<string, object?>
            {
                [JsonLogFormatter.UserField] = context.User.UserName() ?? context.User.UserId(),
                [JsonLogFormatter.UnitField] = context.User.OrgUnitCode(),
            };
            using (logger.BeginScope(scope))
            {
                await next(context);
            }
        });
    }
}

/// <summary>
/// One JSON object per line: <c>timestamp</c>, <c>level</c>, <c>service</c>, <c>category</c>, <c>event_id</c>,
/// <c>message</c>, <c>trace_id</c> and <c>span_id</c> (of the activity current where the line was written), <c>user</c>,
/// <c>unit</c> and <c>correlation_id</c> where a scope sets them, the message's own values under <c>state</c>, other
/// scopes' values under <c>scope</c>, and <c>exception</c>. A value whose name says it is a password, a secret or a
/// token is written as <c>***</c>, whoever logs it. Built on the console logger, as the framework's own JSON formatter
/// is, but with the fields at the top, where a collector's queries expect them.
/// </summary>
public sealed class JsonLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options, IConfiguration configuration, IHostEnvironment environment)
    : ConsoleFormatter(FormatterName)
{
    /// <summary>The <c>service</c> field of every line: <c>OTEL_SERVICE_NAME</c>, as the traces name it, or the application's name.</summary>
    readonly string service = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;

    public const string FormatterName = "antq-json";
    public const string UserField = "user";
    public const string UnitField = "unit";
    const string OriginalFormat = "{OriginalFormat}";

    static readonly string[] Hidden = ["password", "secret", "token", "authorization", "cookie"];

    static readonly Dictionary<string, string> TopLevel = new(StringComparer.Ordinal)
    {
        [UserField] = UserField,
        [UnitField] = UnitField,
        ["CorrelationId"] = "correlation_id",
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        var settings = options.CurrentValue;

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", (settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("service", service);
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0 || logEntry.EventId.Name is not null)
            {
                json.WriteNumber("event_id", logEntry.EventId.Id);
                if (logEntry.EventId.Name is { } eventName) json.WriteString("event_name", eventName);
            }

            json.WriteString("message", message);
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            // Scopes, outermost first: the known fields at the top, the rest under "scope"; a later scope wins.
            var top = new Dictionary<string, object?>(StringComparer.Ordinal);
            var others = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (settings.IncludeScopes && scopeProvider is not null)
            {
                scopeProvider.ForEachScope((scope, _) =>
                {
                    if (scope is not IEnumerable<KeyValuePair<string, object?>> values) return;
                    foreach (var (key, value) in values)
                    {
                        if (key == OriginalFormat || key is "TraceId" or "SpanId" or "ParentId") continue;
                        if (TopLevel.TryGetValue(key, out var field)) top[field] = value;
                        else others[key] = value;
                    }
                }, (object?)null);
            }

            foreach (var (field, value) in top)
            {
                if (value is not null) WriteValue(json, field, value);
            }

            if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> state && state.Any(p => p.Key != OriginalFormat))
            {
                json.WriteStartObject("state");
                foreach (var (key, value) in state)
                {
                    if (key != OriginalFormat) WriteValue(json, key, value);
                }

                json.WriteEndObject();
            }

            if (others.Count > 0)
            {
                json.WriteStartObject("scope");
                foreach (var (key, value) in others) WriteValue(json, key, value);
                json.WriteEndObject();
            }

            if (logEntry.Exception is { } exception) json.WriteString("exception", exception.ToString());
            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        if (Hidden.Any(word => key.Contains(word, StringComparison.OrdinalIgnoreCase)))
        {
            json.WriteString(key, "***");
            return;
        }

        switch (value)
        {
            case null: json.WriteNull(key); break;
            case bool flag: json.WriteBoolean(key, flag); break;
            case int or long or short or byte or uint or ushort:
                json.WriteNumber(key, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case ulong number: json.WriteNumber(key, number); break;
            case decimal number: json.WriteNumber(key, number); break;
            case double or float when Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) is var number && double.IsFinite(number):
                json.WriteNumber(key, number); break;
            default: json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }
}
