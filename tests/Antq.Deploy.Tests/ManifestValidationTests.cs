using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Antq.Deploy.Tests;

/// <summary>
/// deploy/validate-manifests.sh accepts the committed Kubernetes manifests and compose file, and refuses a broken
/// copy with a message that names the object and the problem.
/// </summary>
public sealed class ManifestValidationTests
{
    [Fact]
    public void The_committed_manifests_and_compose_file_are_valid()
    {
        var result = Validator.Run(Validator.DeployDir);

        Assert.True(result.ExitCode == 0, $"validate-manifests.sh failed on the committed files:\n{result.Output}");
        Assert.Contains("base:", result.Output);
        Assert.Contains("production:", result.Output);
        Assert.Contains("OK: Kubernetes manifests and compose file are valid", result.Output);
    }

    public static TheoryData<string, string, string, string, string> Breakages => new()
    {
        // file (under the copy of deploy/), text to find, replacement, expected message (regex), what it shows
        { "k8s/base/plan.yaml", "  replicas: 2\n", "  replicas: two\n", @"Deployment/antq-plan: /spec/replicas must be integer", "a built-in kind against the Kubernetes schema" },
        { "k8s/base/plan.yaml", "      topologySpreadConstraints:", "      topologySpreadConstraint:", @"Deployment/antq-plan: /spec/template/spec: unknown field ""topologySpreadConstraint"" \(PodSpec has no such field\)", "a misspelt field of a built-in kind" },
        { "k8s/base/postgres.yaml", "  instances: 3\n", "  instances: \"three\"\n", @"Cluster/antq-pg: /spec/instances must be integer", "a CloudNativePG Cluster against its CRD's schema" },
        { "k8s/base/postgres.yaml", "    podAntiAffinityType: preferred", "    podAntiAfinityType: preferred", @"Cluster/antq-pg: /spec/affinity: unknown field ""podAntiAfinityType""", "a misspelt field of a CloudNativePG Cluster" },
        { "k8s/base/rabbitmq.yaml", "  replicas: 3\n", "  replica: 3\n", @"RabbitmqCluster/antq-rabbitmq: /spec must NOT have additional properties \(replica\)", "a RabbitmqCluster against our schema" },
        { "k8s/base/rabbitmq.yaml", "default_queue_type = quorum", "default_queue_type = classic", @"additionalConfig must set default_queue_type = quorum", "quorum queues by default" },
        { "k8s/base/reporting.yaml", "port: http }\n            periodSeconds: 5\n            timeoutSeconds: 3", "port: htp }\n            periodSeconds: 5\n            timeoutSeconds: 3", @"antq-reporting container reporting: probe port htp is not a named container port", "a probe on a port that does not exist" },
        { "k8s/base/portal.yaml", "  replicas: 2\n", "  replicas: 1\n", @"Deployment/antq-portal: 1 replica: every process runs at least 2", "the portal's replicas" },
        { "k8s/base/postgres.yaml", "        - CREATE DATABASE antq_portal", "        - CREATE DATABASE antq_portal_keys", @"no database antq_portal", "the portal's database for its keys and sessions" },
        { "k8s/base/network-policies.yaml", "  podSelector: {}\n  policyTypes: [Ingress]\n", "  podSelector: {}\n  policyTypes: [Egress]\n", @"no default-deny NetworkPolicy", "nothing enters unless let in" },
        { "k8s/base/network-policies.yaml", "        - podSelector:\n            matchLabels: { app.kubernetes.io/name: antq-gateway }\n        - namespaceSelector:\n            matchLabels: { kubernetes.io/metadata.name: monitoring }",
          "        - podSelector:\n            matchLabels: { app.kubernetes.io/name: antq-gateway }\n        - namespaceSelector:\n            matchLabels: { kubernetes.io/metadata.name: ingress-nginx }",
          @"NetworkPolicy/antq-from-gateway: lets traffic from outside the namespace into antq-identity", "only the gateway reachable from outside" },
        { "k8s/base/network-policies.yaml", "  name: antq-service-egress\nspec:\n  podSelector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: [antq-identity, antq-plan,",
          "  name: antq-service-egress\nspec:\n  podSelector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: [antq-identity,",
          @"Deployment/antq-plan: no NetworkPolicy confines its egress", "each service's egress confined" },
        { "k8s/base/kustomization.yaml", "  - hpa.yaml\n", "  - hpas.yaml\n", @"kubectl kustomize k8s/base failed", "a kustomization that does not render" },
        { "k8s/overlays/production/kustomization.yaml", "  - backups.yaml\n", "", @"production needs a ScheduledBackup", "production without base backups" },
        { "compose/docker-compose.yml", "    interval: 10s\n", "    intervall: 10s\n", @"healthcheck must NOT have additional properties \(intervall\) \[Compose Specification schema\]", "the compose file against the Compose Specification" },
        { "compose/docker-compose.yml", "  notification:\n", "  notifications:\n", @"service notification is missing", "every process of the platform in compose" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_copy_fails_with_a_message_naming_the_problem(string file, string find, string replace, string expected, string shows)
    {
        var copy = Validator.CopyDeployFiles();
        try
        {
            var path = Path.Combine(copy, file);
            var text = File.ReadAllText(path);
            Assert.True(text.Contains(find), $"{file} no longer contains the text this test breaks ({shows}); update the test");
            File.WriteAllText(path, text.Replace(find, replace));

            var result = Validator.Run(copy);

            Assert.True(result.ExitCode != 0, $"validate-manifests.sh accepted a broken copy ({shows}):\n{result.Output}");
            Assert.Matches(new Regex(expected), result.Output);
            Assert.Contains("INVALID", result.Output);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}

static class Validator
{
    public static string RepoRoot { get; } = FindRoot();

    public static string DeployDir => Path.Combine(RepoRoot, "deploy");

    static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("ANTQ_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "AntqPlatform.sln")))
            return root;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AntqPlatform.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (AntqPlatform.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A copy of deploy/k8s and deploy/compose in a folder of its own, for the script's DEPLOY_DIR argument.</summary>
    public static string CopyDeployFiles()
    {
        var target = Path.Combine(Path.GetTempPath(), "antq-deploy-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var part in new[] { "k8s", "compose" }) CopyDirectory(Path.Combine(DeployDir, part), Path.Combine(target, part));
        return target;
    }

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    // One run at a time: the first one may install the validator's npm packages.
    static readonly Lock Gate = new();

    public static (int ExitCode, string Output) Run(string deployDir)
    {
        lock (Gate)
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(DeployDir, "validate-manifests.sh"), deployDir])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoRoot,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("validate-manifests.sh did not finish in 5 minutes");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
