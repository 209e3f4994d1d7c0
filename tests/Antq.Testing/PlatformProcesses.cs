using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace Antq.Testing;

/// <summary>What <see cref="PlatformProcesses"/> starts, and the settings it adds.</summary>
public sealed class PlatformOptions
{
    /// <summary>Names the databases and the virtual host (letters and digits; kept short).</summary>
    public string Label { get; init; } = "platform";

    /// <summary>The admin account's password (local mode).</summary>
    public string AdminPassword { get; init; } = "Quan-tri-Nen-tang-2026";

    /// <summary>Extra settings by service name (identity, plan, reporting, classification, notification, gateway), or "*" for all.</summary>
    public Dictionary<string, Dictionary<string, string>> Settings { get; init; } = new();

    /// <summary>Port of the SMTP server Notification delivers to (none: Notification's default).</summary>
    public int? SmtpPort { get; init; }

    /// <summary>Keep the databases and the virtual host after disposal (to look at them).</summary>
    public bool KeepData { get; init; }
}

/// <summary>
/// The platform as separate operating-system processes, as <c>deploy/antq up</c> runs it: Identity, Plan, Reporting,
/// Classification and Notification (the built Release assemblies, <c>dotnet Antq.X.Api.dll</c>), each on its own fresh
/// database of the real PostgreSQL and one fresh virtual host of the real RabbitMQ, and the gateway in front, every one
/// on a free loopback port. A process can be killed with SIGKILL and started again, which in-process hosts cannot show.
/// Used by the fault tests and by <c>deploy/antq bench</c>.
/// </summary>
public sealed class PlatformProcesses : IAsyncDisposable
{
    /// <summary>name, project folder, database (null: none).</summary>
    public static readonly IReadOnlyList<(string Name, string Project, string? Database)> Services =
    [
        ("identity", "services/Identity/Antq.Identity.Api", "identity"),
        ("plan", "services/Plan/Antq.Plan.Api", "plan"),
        ("reporting", "services/Reporting/Antq.Reporting.Api", "reporting"),
        ("classification", "services/Classification/Antq.Classification.Api", "classification"),
        ("notification", "services/Notification/Antq.Notification.Api", "notification"),
        ("gateway", "gateway/Antq.Gateway", null),
    ];

    readonly PlatformOptions options;
    readonly Dictionary<string, int> ports = new();
    readonly Dictionary<string, string> databases = new();
    readonly Dictionary<string, Process> processes = new();
    readonly string signingKeyPem;
    readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    readonly Dictionary<string, (string Name, string Password)> roles = new();
    TestVirtualHost? vhost;

    PlatformProcesses(PlatformOptions options)
    {
        this.options = options;
        using var rsa = RSA.Create(2048);
        signingKeyPem = rsa.ExportPkcs8PrivateKeyPem();
        LogDirectory = Path.Combine(Environment.GetEnvironmentVariable("ANTQ_TEST_STATE") ?? Path.Combine(TestEnvironment.Root, ".antq"),
            "platform-logs", $"{options.Label}-{suffix}");
        Directory.CreateDirectory(LogDirectory);
    }

    /// <summary>Where each process writes its output (<c>name.log</c>, appended across restarts).</summary>
    public string LogDirectory { get; }

    public string AdminPassword => options.AdminPassword;

    /// <summary>The gateway's address, with a trailing slash.</summary>
    public string Gateway => AddressOf("gateway");

    public string AddressOf(string service) => $"http://127.0.0.1:{ports[service]}/";

    public string ConnectionStringOf(string service) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Database = databases[service] }.ConnectionString;

    public string VirtualHost => vhost!.Name;

    /// <summary>The platform's virtual host (its queues, their depths).</summary>
    public TestVirtualHost Broker => vhost!;

    /// <summary>The name of a service's database on the shared PostgreSQL server.</summary>
    public string DatabaseOf(string service) => databases[service];

    public int ProcessIdOf(string service) => processes[service].Id;

    public static async Task<PlatformProcesses> StartAsync(PlatformOptions options, CancellationToken ct = default)
    {
        var platform = new PlatformProcesses(options);
        try
        {
            await platform.InitializeAsync(ct);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    async Task InitializeAsync(CancellationToken ct)
    {
        vhost = await TestVirtualHost.CreateAsync(options.Label);
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin))
        {
            await admin.OpenAsync(ct);
            foreach (var (name, _, database) in Services)
            {
                ports[name] = FreePorts.Next();
                if (database is null) continue;
                databases[name] = $"p_{Sanitize(options.Label)}_{database}_{suffix}";
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databases[name]}\"", admin);
                await create.ExecuteNonQueryAsync(ct);
                // As deploy/antq up runs it: the service works as a login role of its own, which its database's owner
                // (the test server's administrator, ConnectionStrings:<name>Migrations) grants its rows at start.
                roles[name] = (databases[name] + "_svc", Guid.NewGuid().ToString("N"));
                await using var role = new NpgsqlCommand($"CREATE ROLE \"{roles[name].Name}\" LOGIN PASSWORD '{roles[name].Password}'", admin);
                await role.ExecuteNonQueryAsync(ct);
            }
        }

        // Identity first: the others read its signing keys when they check their first token. The gateway last, so
        // that its first health probes find every service up.
        await StartServiceAsync("identity", ct);
        await Task.WhenAll(Services.Where(s => s.Name is not ("identity" or "gateway")).Select(s => StartServiceAsync(s.Name, ct)));
        await StartServiceAsync("gateway", ct);
    }

    /// <summary>Starts a service's process (again, after <see cref="Kill"/>) and waits until it answers its readiness check.</summary>
    public async Task StartServiceAsync(string name, CancellationToken ct = default)
    {
        var (_, project, _) = Services.Single(s => s.Name == name);
        var dll = Path.Combine(TestEnvironment.Root, project, "bin", Configuration, "net10.0", Path.GetFileName(project) + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing: build the solution ({Configuration}) first.", dll);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.Combine(TestEnvironment.Root, project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in EnvironmentOf(name)) info.Environment[key] = value;

        var log = new StreamWriter(Path.Combine(LogDirectory, name + ".log"), append: true) { AutoFlush = true };
        await log.WriteLineAsync($"==== start {DateTimeOffset.UtcNow:O}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        // The log closes when both streams have ended (a null line), not when the process exits: lines still on their
        // way after a kill would otherwise be written to a closed file and crash the test host.
        var ended = 0;
        void Line(string? data)
        {
            lock (log)
            {
                if (ended == 2) return;
                if (data is not null) { log.WriteLine(data); return; }
                if (++ended == 2) log.Dispose();
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes[name] = process;
        await WaitReadyAsync(name, process, ct);
    }

    /// <summary>SIGKILL: the process ends at once, without draining requests, committing or closing connections.</summary>
    public void Kill(string name)
    {
        var process = processes[name];
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>Resident and peak resident memory of each process now (from /proc), in MiB.</summary>
    public IReadOnlyList<(string Name, double ResidentMb, double PeakResidentMb)> Memory()
    {
        var result = new List<(string, double, double)>();
        foreach (var (name, process) in processes)
        {
            if (process.HasExited) continue;
            var status = File.ReadAllLines($"/proc/{process.Id}/status");
            double Kb(string field) => status.Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            result.Add((name, Math.Round(Kb("VmRSS") / 1024, 1), Math.Round(Kb("VmHWM") / 1024, 1)));
        }

        return result;
    }

    /// <summary>CPU time (user + system) each process has used so far, in seconds (from /proc).</summary>
    public IReadOnlyDictionary<string, double> CpuSeconds() => processes.Where(p => !p.Value.HasExited)
        .ToDictionary(p => p.Key, p => ProcessCpuSeconds(p.Value.Id));

    /// <summary>utime + stime of a process, fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s.</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>A password-grant token for the admin account, through the gateway.</summary>
    public Task<string> AdminTokenAsync(CancellationToken ct = default) => TokenAsync("admin", options.AdminPassword, ct);

    public async Task<string> TokenAsync(string username, string password, CancellationToken ct = default)
    {
        using var client = new HttpClient { BaseAddress = new Uri(Gateway) };
        using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
        }), ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"token for {username}: {(int)response.StatusCode} {body}");
        return body.GetProperty("access_token").GetString()!;
    }

    IEnumerable<(string, string)> EnvironmentOf(string name)
    {
        var port = ports[name];
        yield return ("ASPNETCORE_URLS", $"http://127.0.0.1:{port}");
        yield return ("Urls", $"http://127.0.0.1:{port}");
        yield return ("ASPNETCORE_ENVIRONMENT", "Production");
        yield return ("ANTQ_MODE", "local");
        yield return ("OTEL_SERVICE_NAME", "antq-" + name);
        yield return ("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
        if (databases.TryGetValue(name, out _))
        {
            var (role, rolePassword) = roles[name];
            yield return ($"ConnectionStrings__{name}",
                new NpgsqlConnectionStringBuilder(ConnectionStringOf(name)) { Username = role, Password = rolePassword, MaxPoolSize = 50 }.ConnectionString);
            yield return ($"ConnectionStrings__{name}Migrations", ConnectionStringOf(name) + ";Maximum Pool Size=2");
        }

        yield return ("ConnectionStrings__rabbitmq", vhost!.AmqpUri);
        yield return ("Auth__Issuer", Gateway);
        yield return ("Auth__JwksUri", AddressOf("identity") + ".well-known/jwks");
        yield return ("Identity__SigningKeyPem", signingKeyPem);
        yield return ("ANTQ_ADMIN_PASSWORD", options.AdminPassword);
        yield return ("Shared__DataDir", TestEnvironment.SharedDir);
        yield return ("Logging__LogLevel__Default", "Warning");
        if (name == "gateway")
        {
            foreach (var (backend, _, _) in Services.Where(s => s.Name != "gateway"))
                yield return ($"ReverseProxy__Clusters__{backend}__Destinations__d1__Address", AddressOf(backend));
        }

        if (name == "notification" && options.SmtpPort is { } smtp)
        {
            yield return ("Notification__Smtp__Host", "127.0.0.1");
            yield return ("Notification__Smtp__Port", smtp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var scope in new[] { "*", name })
        {
            if (!options.Settings.TryGetValue(scope, out var settings)) continue;
            foreach (var (key, value) in settings) yield return (key.Replace(":", "__", StringComparison.Ordinal), value);
        }
    }

    async Task WaitReadyAsync(string name, Process process, CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // The gateway's own readiness asks every cluster, the portal's too, which these runs leave out.
        var path = name == "gateway" ? "health/live" : "health/ready";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with {process.ExitCode} while starting: {Tail(name)}");
            try
            {
                using var response = await client.GetAsync(AddressOf(name) + path, ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"{name} not ready after 120 s: {Tail(name)}");
    }

    string Tail(string name)
    {
        var file = Path.Combine(LogDirectory, name + ".log");
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join("\n", reader.ReadToEnd().Split('\n').TakeLast(30));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Release or Debug: the configuration this assembly was built in, which the services were built in too.</summary>
    static string Configuration => System.Environment.GetEnvironmentVariable("ANTQ_CONFIGURATION")
        ?? (AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release");


    static string Sanitize(string label) => new(label.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(12).ToArray());

    public async ValueTask DisposeAsync()
    {
        foreach (var name in processes.Keys.Reverse().ToList())
        {
            var process = processes[name];
            try
            {
                if (!process.HasExited)
                {
                    // SIGTERM first: a service that stops cleanly returns its connections.
                    Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit(2000);
                    if (!process.WaitForExit(TimeSpan.FromSeconds(10))) process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }

        if (options.KeepData) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
            await admin.OpenAsync();
            foreach (var database in databases.Values)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            foreach (var (role, _) in roles.Values)
            {
                await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{role}\"", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException) { /* PostgreSQL down at the end of a failed fault run: the databases stay */ }

        if (vhost is not null) await vhost.DisposeAsync();
    }
}
