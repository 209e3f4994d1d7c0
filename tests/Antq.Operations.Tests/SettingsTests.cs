using System.Reflection;
using Antq.Calendar;
using Antq.Classification.Api;
using Antq.Gateway;
using Antq.Identity.Api;
using Antq.Identity.Api.Audit;
using Antq.Identity.Api.SignIn;
using Antq.Identity.Api.Users;
using Antq.Messaging;
using Antq.Messaging.Copies;
using Antq.Notification.Api;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Reminders;
using Antq.Notification.Api.Webhooks;
using Antq.Plan.Api;
using Antq.Plan.Api.Deadlines;
using Antq.Plan.Api.Units;
using Antq.Portal;
using Antq.Reporting.Api;
using Antq.Reporting.Api.Closing;
using Antq.ServiceDefaults;
using Antq.Settings;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.Operations.Tests;

/// <summary>
/// Settings checked at start: for every options class of every process, the real process (the built assembly, as
/// <c>deploy/antq up</c> runs it) is started with one of its settings broken, and refuses to start with one line that
/// names the key and what is wrong, and nothing else: no stack trace, no log of a failed start. The list of cases is
/// checked against the processes themselves: every options type each one registers, and every settings class those
/// hold, must have a case here, so an options class added without validation (or without a case) fails.
/// </summary>
public sealed class SettingsTests
{
    /// <summary>A process: its project folder and an assembly-marking type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Project, Assembly Assembly)> Processes = new Dictionary<string, (string, Assembly)>
    {
        ["identity"] = ("services/Identity/Antq.Identity.Api", typeof(IdentityServiceExtensions).Assembly),
        ["plan"] = ("services/Plan/Antq.Plan.Api", typeof(PlanServiceExtensions).Assembly),
        ["reporting"] = ("services/Reporting/Antq.Reporting.Api", typeof(ReportingServiceExtensions).Assembly),
        ["classification"] = ("services/Classification/Antq.Classification.Api", typeof(ClassificationServiceExtensions).Assembly),
        ["notification"] = ("services/Notification/Antq.Notification.Api", typeof(NotificationServiceExtensions).Assembly),
        ["gateway"] = ("gateway/Antq.Gateway", typeof(GatewayExtensions).Assembly),
        ["portal"] = ("services/Portal/Antq.Portal", typeof(PortalExtensions).Assembly),
    };

    /// <summary>
    /// One broken setting: the process, the settings class the key belongs to, the key and its wrong value, what the
    /// line must say, and the key it must name when that differs from the one set (an array's entry names the array).
    /// </summary>
    public sealed record Case(string Process, Type Settings, string Key, string Value, string Says, string? Names = null)
    {
        public string Named => Names ?? Key;
    }

    public static readonly IReadOnlyList<Case> Cases =
    [
        new("identity", typeof(OutboxOptions), "Outbox:BatchSize", "0", "must be positive (was 0)"),
        new("identity", typeof(ConsumerOutageOptions), "Bus:Outage:FirstPause", "-00:00:05", "must be positive (was -00:00:05)"),
        new("identity", typeof(AccountLockoutOptions), "Identity:Lockout:MaxFailedLogins", "0", "must be positive (was 0)"),
        new("identity", typeof(AccountLockoutOptions), "Identity:Lockout:Duration", "soon", "cannot be read as TimeSpan"),
        new("identity", typeof(AdminAccountOptions), "ANTQ_ADMIN_PASSWORD", "short", "must have at least 10 characters"),

        new("plan", typeof(OutboxOptions), "Outbox:MaxRefusals", "-1", "must be positive (was -1)"),
        new("plan", typeof(ConsumerOutageOptions), "Bus:Outage:MaxPause", "00:00:00", "must be positive (was 00:00:00)"),
        new("plan", typeof(DeadlineOptions), "Deadlines:LeadTime", "-1.00:00:00", "must be from 00:00:00 to 366.00:00:00 (was -1.00:00:00)"),
        new("plan", typeof(UnitFileLimits), "UnitFiles:MaxRows", "0", "must be positive (was 0)"),
        new("plan", typeof(DataWindowOptions), "DataWindow:AnnualEnd", "14/12", "holds '14/12', which is not a day of the year written MM-dd"),

        new("reporting", typeof(OutboxOptions), "Outbox:PollInterval", "00:00:00", "must be positive (was 00:00:00)"),
        new("reporting", typeof(ConsumerOutageOptions), "Bus:Outage:FirstPause", "0", "must be positive (was 00:00:00)"),
        new("reporting", typeof(DataWindowOptions), "DataWindow:SixMonthEnd", "12-20", "(12-20) falls after DataWindow:AnnualEnd (12-14)"),
        new("reporting", typeof(ClosingOptions), "Closing:Parallelism", "0", "must be positive (was 0)"),
        new("reporting", typeof(CopyHealingOptions), "Copies:Interval", "00:00:00", "must be positive (was 00:00:00)"),

        new("classification", typeof(OutboxOptions), "Outbox:PublishTimeout", "-00:00:01", "must be positive (was -00:00:01)"),
        new("classification", typeof(ConsumerOutageOptions), "Bus:Outage:MaxPause", "-00:01:00", "must be positive (was -00:01:00)"),
        new("classification", typeof(DataWindowOptions), "DataWindow:Start", "mid-December", "holds 'mid-December', which is not a day of the year"),
        new("classification", typeof(ClassificationOptions), "Classification:SafeRegistrationCloses", "31/03",
            "must be a day of the year written MM-dd, such as 03-31 (was '31/03')"),
        new("classification", typeof(CopyHealingOptions), "Copies:Buckets", "0", "must be from 1 to"),

        new("notification", typeof(OutboxOptions), "Outbox:Retention", "00:00:00", "must be positive (was 00:00:00)"),
        new("notification", typeof(ConsumerOutageOptions), "Bus:Outage:FirstPause", "-00:00:01", "must be positive (was -00:00:01)"),
        new("notification", typeof(CopyHealingOptions), "Copies:Interval", "-00:01:00", "must be positive (was -00:01:00)"),
        new("notification", typeof(RetentionSettings), "Notification:Retention:Period", "-1.00:00:00", "must be a day or more (and at most 100 years) (was -1.00:00:00)"),
        new("notification", typeof(ReminderDefaults), "Notification:Reminders:OverdueRepeat", "two days", "must be an ISO 8601 duration such as P2D or PT12H (was 'two days')"),
        new("notification", typeof(ReminderDefaults), "Notification:Reminders:QuietHours", "21:00",
            "must be a span of the day such as 21:00-07:00 (from-until, over midnight when from is later), or empty for none (was '21:00')"),
        new("notification", typeof(ReminderDefaults), "Notification:Reminders:RemindAt", "06:00", "must not fall inside the quiet hours (21:00-07:00) (was '06:00')"),
        new("notification", typeof(DispatcherSettings), "Notification:Dispatcher:Parallelism", "0", "must be from 1 to 64 (was 0)"),
        new("notification", typeof(SmtpSettings), "Notification:Smtp:Port", "70000", "must be from 1 to 65535 (was 70000)"),
        new("notification", typeof(DigestSettings), "Notification:Digest:Window", "00:00:10", "must be from 00:01:00 to 1.00:00:00 (was 00:00:10)"),
        new("notification", typeof(WebhookSettings), "Notification:Webhooks:AllowedNetworks:0", "intranet",
            "each entry must be a network in CIDR form (10.20.0.0/16) or an address (was [intranet])", Names: "Notification:Webhooks:AllowedNetworks"),

        new("gateway", typeof(GatewaySecurity.RateLimitOptions), "Gateway:RateLimits:Window", "00:00:00", "must be positive (was 00:00:00)"),
        // Not an options class of ours, but settings all the same (ServiceDefaults configures it in every process).
        new("gateway", typeof(ForwardedHeadersOptions), "ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33",
            "holds '10.0.0.0/33', which is not a network in CIDR notation", Names: "ForwardedHeaders:KnownNetworks"),

        new("portal", typeof(ConsumerOutageOptions), "Bus:Outage:MaxPause", "forever", "cannot be read as TimeSpan"),
        new("portal", typeof(DataWindowOptions), "DataWindow:AnnualEnd", "13-40", "holds '13-40', which is not a day of the year"),

        // Every process: plaintext connections outside local mode only by a deliberate, valid choice (docs/security.md).
        .. Processes.Keys.Select(process => new Case(process, typeof(TransportSecurityOptions), "Transport:AllowPlaintext", "maybe", "cannot be read as Boolean")),
    ];

    public static TheoryData<string, string> CaseKeys()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Cases) data.Add(c.Process, c.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public async Task A_wrong_setting_stops_the_process_with_one_line_naming_it(string process, string key)
    {
        var c = Cases.Single(c => c.Process == process && c.Key == key);

        var (exitCode, lines) = await RunAsync(process, (key, c.Value));

        Assert.True(exitCode == SettingsCheck.ExitCode, $"{process} exited with {exitCode}:\n{string.Join('\n', lines)}");
        var line = Assert.Single(lines);
        Assert.StartsWith($"Setting {c.Named}", line, StringComparison.Ordinal);
        Assert.Contains(c.Says, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_wrong_settings_are_one_line_each()
    {
        var (exitCode, lines) = await RunAsync("reporting", ("Closing:Parallelism", "0"), ("Outbox:BatchSize", "-3"));

        Assert.Equal(SettingsCheck.ExitCode, exitCode);
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.StartsWith("Setting Closing:Parallelism: must be positive (was 0)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Setting Outbox:BatchSize: must be positive (was -3)", StringComparison.Ordinal));
    }

    /// <summary>Connection strings as the platform outside local mode must give them: TLS to PostgreSQL and RabbitMQ.</summary>
    static (string Key, string Value)[] Encrypted() =>
    [
        .. new[] { "identity", "plan", "reporting", "classification", "notification", "portal" }
            .Select(name => ($"ConnectionStrings:{name}", "Host=127.0.0.1;Port=9;Username=nobody;Password=nobody;Database=nothing;SSL Mode=Require")),
        ("ConnectionStrings:rabbitmq", "amqps://nobody:nobody@127.0.0.1:9/nothing"),
    ];

    [Fact]
    public async Task Outside_local_mode_a_plaintext_database_or_broker_connection_stops_the_process()
    {
        var (exitCode, lines) = await RunAsync("reporting", ("ANTQ_MODE", "production"));

        Assert.True(exitCode == SettingsCheck.ExitCode, $"reporting exited with {exitCode}:\n{string.Join('\n', lines)}");
        Assert.All(lines, line => Assert.StartsWith("Setting ConnectionStrings:", line, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Setting ConnectionStrings:reporting: SSL Mode must be Require, VerifyCA or VerifyFull outside local mode (was Prefer)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Setting ConnectionStrings:rabbitmq: must be an amqps:// address (TLS) outside local mode (was amqp://)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Password=nobody", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outside_local_mode_mail_that_may_fall_back_to_plaintext_stops_Notification()
    {
        var (exitCode, lines) = await RunAsync("notification", [("ANTQ_MODE", "production"), .. Encrypted(), ("Notification:Smtp:Security", "Auto")]);

        Assert.True(exitCode == SettingsCheck.ExitCode, $"notification exited with {exitCode}:\n{string.Join('\n', lines)}");
        var line = Assert.Single(lines);
        Assert.Equal("Setting Notification:Smtp:Security: must be StartTls or SslOnConnect outside local mode (was Auto)", line);
    }

    [Fact]
    public void The_value_of_a_secret_setting_is_never_shown()
    {
        var validation = new SettingsValidation<SampleSettings>("Sample");

        var result = validation.Validate(null, new SampleSettings { SmtpPassword = "abc", Retries = -2 });

        Assert.True(result.Failed);
        Assert.Contains("Setting Sample:SmtpPassword: must have 12 characters or more (was a hidden value)", result.Failures);
        Assert.Contains("Setting Sample:Retries: must be positive (was -2)", result.Failures);
        Assert.DoesNotContain(result.Failures, f => f.Contains("abc", StringComparison.Ordinal));
    }

    public sealed class SampleSettings
    {
        [System.ComponentModel.DataAnnotations.MinLength(12, ErrorMessage = "must have 12 characters or more")]
        public string? SmtpPassword { get; set; }

        [Positive]
        public int Retries { get; set; } = 3;
    }

    [Fact]
    public void Every_options_class_of_every_process_has_a_case()
    {
        var problems = new List<string>();
        var registered = new HashSet<Type>();
        foreach (var (process, (_, assembly)) in Processes)
        {
            var services = CaptureServices(assembly);
            var allOptionsTypes = services.Select(d => d.ServiceType)
                .Where(t => t.IsGenericType && OptionsServices.Contains(t.GetGenericTypeDefinition()))
                .Select(t => t.GetGenericArguments()[0])
                .Distinct()
                .ToList();
            var optionsTypes = allOptionsTypes.Where(IsPlatformType).ToList();
            Assert.NotEmpty(optionsTypes);
            registered.UnionWith(optionsTypes);

            foreach (var type in optionsTypes)
            {
                var validators = services.Where(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(type)).ToList();
                if (validators.Count == 0) problems.Add($"{process}: {type.Name} is not validated");
                var classes = SettingsClassesOf(type);
                if (!Cases.Any(c => c.Process == process && classes.Contains(c.Settings)))
                    problems.Add($"{process}: no case breaks a setting of {type.Name}");
                foreach (var inner in classes.Skip(1).Where(inner => !Cases.Any(c => c.Process == process && c.Settings == inner)))
                    problems.Add($"{process}: no case breaks a setting of {inner.Name} (in {type.Name})");

                // A case's key must be a key of the class it says, below the section the class is bound from.
                var section = validators.Select(d => d.ImplementationInstance?.GetType().GetProperty(nameof(SettingsValidation<object>.Section))?.GetValue(d.ImplementationInstance))
                    .OfType<string>().FirstOrDefault();
                if (section is null) continue;
                foreach (var c in Cases.Where(c => c.Process == process && classes.Contains(c.Settings)))
                {
                    if (KeyOwner(type, section, c.Key) != c.Settings) problems.Add($"{process}: {c.Key} is not a key of {c.Settings.Name} (section {section})");
                }
            }

            foreach (var c in Cases.Where(c => c.Process == process && !allOptionsTypes.SelectMany(SettingsClassesOf).Contains(c.Settings)))
                problems.Add($"{process}: the case {c.Key} names {c.Settings.Name}, which this process does not register");
        }

        // A class named as settings that no process registers as options is read some other way, unchecked.
        foreach (var type in PlatformAssemblies().SelectMany(a => a.GetTypes())
                     .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal) && IsPlatformType(t) && !registered.Contains(t)))
            problems.Add($"{type.FullName} looks like settings, but no process registers it as an options class (AddSettings)");

        Assert.Empty(problems);
    }

    static readonly Type[] OptionsServices =
        [typeof(IConfigureOptions<>), typeof(IPostConfigureOptions<>), typeof(IValidateOptions<>), typeof(IOptionsChangeTokenSource<>)];

    static bool IsPlatformType(Type type) => type.Assembly.GetName().Name?.StartsWith("Antq.", StringComparison.Ordinal) == true;

    /// <summary>The class and the settings classes it holds, recursively, as the validation walks them.</summary>
    static List<Type> SettingsClassesOf(Type type)
    {
        var result = new List<Type> { type };
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var property in result[i].GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (SettingsValidation<object>.IsSettingsClass(property.PropertyType) && !result.Contains(property.PropertyType))
                    result.Add(property.PropertyType);
            }
        }

        return result;
    }

    /// <summary>The class that declares the property <paramref name="key"/> sets (an array's entry: the array's).</summary>
    static Type? KeyOwner(Type root, string section, string key)
    {
        if (!key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)) return null;
        var type = root;
        var parts = key[(section.Length + 1)..].Split(':');
        for (var i = 0; i < parts.Length; i++)
        {
            var property = type.GetProperty(parts[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null) return null;
            if (i == parts.Length - 1 || !SettingsValidation<object>.IsSettingsClass(property.PropertyType)) return type;
            type = property.PropertyType;
        }

        return type;
    }

    static IEnumerable<Assembly> PlatformAssemblies()
    {
        var seen = new Dictionary<string, Assembly>();
        var pending = new Queue<Assembly>(Processes.Values.Select(p => p.Assembly));
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.TryAdd(assembly.GetName().Name!, assembly)) continue;
            foreach (var name in assembly.GetReferencedAssemblies().Where(n => n.Name?.StartsWith("Antq.", StringComparison.Ordinal) == true))
                pending.Enqueue(Assembly.Load(name));
        }

        return seen.Values;
    }

    /// <summary>
    /// The services a process registers: its own Program runs in this process up to the building of its host, whose
    /// service collection is copied, and stops there (nothing is started, no database or broker is needed).
    /// </summary>
    static List<ServiceDescriptor> CaptureServices(Assembly assembly)
    {
        var entryPoint = assembly.EntryPoint?.DeclaringType ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no entry point");
        var capture = typeof(SettingsTests).GetMethod(nameof(Capture), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(entryPoint);
        return (List<ServiceDescriptor>)capture.Invoke(null, [])!;
    }

    static List<ServiceDescriptor> Capture<TEntryPoint>() where TEntryPoint : class
    {
        List<ServiceDescriptor>? captured = null;
        var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ANTQ_MODE", "local");
            builder.ConfigureTestServices(services =>
            {
                captured = [.. services];
                throw new OperationCanceledException("services captured; the host is not needed");
            });
        });
        try
        {
            _ = factory.Server;
        }
        catch (Exception) when (captured is not null)
        {
        }
        finally
        {
            try { factory.Dispose(); } catch (Exception) when (captured is not null) { }
        }

        return captured ?? throw new InvalidOperationException($"the services of {typeof(TEntryPoint).Assembly.GetName().Name} were not captured");
    }

    /// <summary>
    /// Runs the built process (Production environment, local mode, a database and broker that are not there: the
    /// settings are checked before either is needed) with <paramref name="settings"/> as environment variables, and
    /// gives its exit code and every non-empty line it wrote on standard output and standard error.
    /// </summary>
    internal static async Task<(int ExitCode, List<string> Lines)> RunAsync(string process, params (string Key, string Value)[] settings)
    {
        var project = Processes[process].Project;
        var dll = Path.Combine(TestEnvironment.Root, project, "bin", Configuration, "net10.0", Path.GetFileName(project) + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build it ({Configuration}) first");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.Combine(TestEnvironment.Root, project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ANTQ_MODE"] = "local";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Urls"] = "http://127.0.0.1:0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var name in new[] { "identity", "plan", "reporting", "classification", "notification", "portal" })
            info.Environment[$"ConnectionStrings__{name}"] = "Host=127.0.0.1;Port=9;Username=nobody;Password=nobody;Database=nothing";
        info.Environment["ConnectionStrings__rabbitmq"] = "amqp://nobody:nobody@127.0.0.1:9/nothing";
        foreach (var (key, value) in settings) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        using var running = System.Diagnostics.Process.Start(info)!;
        var output = running.StandardOutput.ReadToEndAsync();
        var errors = running.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await running.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill(entireProcessTree: true);
            Assert.Fail($"{process} did not stop within 90 s with {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}: {await output}");
        }

        var lines = (await output + "\n" + await errors).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        return (running.ExitCode, lines);
    }

    /// <summary>Release or Debug: the configuration this assembly was built in, which the processes were built in too.</summary>
    static string Configuration => Environment.GetEnvironmentVariable("ANTQ_CONFIGURATION")
        ?? (AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release");
}
