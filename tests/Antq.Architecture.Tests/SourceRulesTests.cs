using System.Text.RegularExpressions;

namespace Antq.Architecture.Tests;

/// <summary>
/// The rules of ../shared/docs/CONVENTIONS.md that a reading of the sources can check, each as "defined once":
/// problem+json is built by one builder (shared/Antq.ServiceDefaults/Problems.cs), Vietnam time is defined once
/// (shared/Antq.Calendar/VietnamTime.cs), a status value is written once per project (its type or its one mapping),
/// and every endpoint has an operation id. Each rule names the file and line that breaks it. Where code that is not
/// this change's to edit still breaks a rule, it is listed below as pending, with its owner; a pending entry that no
/// longer breaks the rule fails the test too, so that the list only shrinks.
/// </summary>
public sealed class SourceRulesTests
{
    /// <summary>The one file allowed to build problem documents.</summary>
    const string ProblemBuilder = "shared/Antq.ServiceDefaults/Problems.cs";

    static readonly Regex ProblemConstruction = new(
        @"\b(Typed)?Results\s*\.\s*(Validation)?Problem\s*\(|\bnew\s+(Microsoft\.AspNetCore\.Mvc\.)?(HttpValidation)?ProblemDetails\s*[({]|\bnew\s+ProblemDetailsContext\b|\bProblemHttpResult\s+\w+\s*\(\s*int\s+status\w*\s*,\s*string\s+detail",
        RegexOptions.Compiled);

    [Fact]
    public void Problem_documents_are_built_only_by_the_shared_builder()
    {
        var offending = Matches(ProblemConstruction, file => file.Path != ProblemBuilder);
        Assert.True(offending.Count == 0,
            $"Problem documents built outside {ProblemBuilder} (use Problems.Problem/Invalid/Validation/Details/WriteAsync):\n" + string.Join("\n", offending));
        Assert.True(Sources.All.Any(f => f.Path == ProblemBuilder && ProblemConstruction.IsMatch(f.Code)), $"{ProblemBuilder} builds no problem: the rule reads nothing.");
    }

    const string VietnamTime = "shared/Antq.Calendar/VietnamTime.cs";

    static readonly Regex TimeZoneDefinition = new(
        @"FromHours\s*\(\s*7(\.0)?\s*\)|new\s+TimeSpan\s*\(\s*7\s*,\s*0\s*,\s*0\s*\)|""SE Asia Standard Time""|""Asia/(Ho_Chi_Minh|Saigon)""|FindSystemTimeZoneById",
        RegexOptions.Compiled);

    [Fact]
    public void Vietnam_time_is_defined_once()
    {
        var found = Matches(TimeZoneDefinition, file => file.Path != VietnamTime);
        Assert.True(found.Count == 0, $"Vietnam's time zone defined again (use Antq.Calendar.VietnamTime):\n" + string.Join("\n", found));
        Assert.Contains(Sources.All, f => f.Path == VietnamTime && TimeZoneDefinition.IsMatch(f.Code));
    }

    /// <summary>The status values on the wire and in the tables (a report's, a standing at closing, a plan's).</summary>
    static readonly string[] StatusValues = ["draft", "submitted", "returned", "accepted", "missing", "onTime", "late", "notIssued", "issued", "superseded"];

    static readonly Regex SqlStatus = new(@"'(Draft|Submitted|Returned|Accepted|Issued|Superseded)'", RegexOptions.Compiled);

    /// <summary>
    /// Status values still written more than once in a project, by (project, value): the count allowed today. Reporting's
    /// hand-written SQL names the counted statuses in each query, and its Documents/ tests them by name; Notification
    /// (its schedule) and the portal (its labels) are other changes' to edit. They move to one definition each in their
    /// own change. A count can only go down.
    /// </summary>
    static readonly Dictionary<(string Project, string Value), int> PendingStatusRepeats = new()
    {
        [("services/Reporting/Antq.Reporting.Api", "'Submitted'")] = 7,
        [("services/Reporting/Antq.Reporting.Api", "'Accepted'")] = 7,
        [("services/Reporting/Antq.Reporting.Api", "submitted")] = 5,
        [("services/Reporting/Antq.Reporting.Api", "accepted")] = 4,
        [("services/Reporting/Antq.Reporting.Api", "returned")] = 2,
        [("services/Reporting/Antq.Reporting.Api", "missing")] = 3,
        [("services/Notification/Antq.Notification.Api", "submitted")] = 3,
        [("services/Notification/Antq.Notification.Api", "returned")] = 4,
        [("services/Notification/Antq.Notification.Api", "accepted")] = 3,
        [("services/Portal/Antq.Portal", "submitted")] = 2,
        [("services/Portal/Antq.Portal", "returned")] = 2,
        [("services/Portal/Antq.Portal", "accepted")] = 2,
    };

    [Fact]
    public void A_status_value_is_written_once_per_project()
    {
        var counts = new Dictionary<(string Project, string Value), List<string>>();
        foreach (var file in Sources.All.Where(f => !f.Path.Contains("/Data/", StringComparison.Ordinal)))
        {
            var project = Sources.ProjectOf(file);
            foreach (var literal in file.Literals)
            {
                var values = StatusValues.Where(v => literal.Text == v).Concat(SqlStatus.Matches(literal.Text).Select(m => m.Value));
                foreach (var value in values)
                {
                    if (!counts.TryGetValue((project, value), out var where)) counts[(project, value)] = where = [];
                    where.Add($"{file.Path}:{literal.Line}");
                }
            }
        }

        var problems = new List<string>();
        foreach (var ((project, value), where) in counts)
        {
            var allowed = PendingStatusRepeats.GetValueOrDefault((project, value), 1);
            if (where.Count > allowed)
                problems.Add($"{project}: \"{value}\" written {where.Count} times (allowed {allowed}; define it once, as a type or one mapping): {string.Join(", ", where)}");
        }

        foreach (var ((project, value), allowed) in PendingStatusRepeats)
        {
            var now = counts.GetValueOrDefault((project, value))?.Count ?? 0;
            if (now < allowed) problems.Add($"{project}: \"{value}\" is now written {now} times: lower PendingStatusRepeats to {Math.Max(now, 1)} (or remove the entry).");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(counts.Count > 0, "no status value found: the rule reads nothing.");
    }

    static readonly Regex EndpointMapping = new(@"\.\s*Map(Get|Post|Put|Delete|Patch|Methods)\s*\(", RegexOptions.Compiled);

    [Fact]
    public void Every_endpoint_has_an_operation_id()
    {
        var missing = new List<string>();
        var endpoints = 0;
        foreach (var file in Sources.All.Where(f => !f.Path.StartsWith("services/Portal/", StringComparison.Ordinal)))
        {
            foreach (Match match in EndpointMapping.Matches(file.Code))
            {
                endpoints++;
                var statement = Statement(file.Code, match.Index);
                if (!statement.Contains(".WithName(", StringComparison.Ordinal) && !statement.Contains(".ExcludeFromDescription(", StringComparison.Ordinal))
                    missing.Add($"{file.Path}:{file.LineOf(match.Index)}: {statement.Split('\n')[0].Trim()}");
            }
        }

        Assert.True(missing.Count == 0, "Endpoints without an operation id (.WithName(\"camelCaseId\")) nor .ExcludeFromDescription():\n" + string.Join("\n", missing));
        Assert.True(endpoints > 50, $"only {endpoints} endpoints found: the rule reads too little.");
    }

    /// <summary>The statement holding a position: from it to the first ';' outside brackets (a handler's lambda included).</summary>
    static string Statement(string code, int start)
    {
        var depth = 0;
        for (var i = start; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '(' or '{' or '[': depth++; break;
                case ')' or '}' or ']':
                    if (--depth < 0) return code[start..i];
                    break;
                case ';' when depth == 0: return code[start..i];
            }
        }

        return code[start..];
    }

    static List<string> Matches(Regex rule, Func<SourceFile, bool> where) =>
    [
        .. Sources.All.Where(where).SelectMany(f => rule.Matches(f.Code).Select(m => $"{f.Path}:{f.LineOf(m.Index)}: {m.Value}")),
    ];
}
