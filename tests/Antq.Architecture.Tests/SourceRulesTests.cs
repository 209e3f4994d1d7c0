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

    /// <summary>
    /// Building a problem: the framework's results and types (validation ones included), the factory of MVC, a helper
    /// of one's own that takes a status and a detail, or an answer whose content type is set to problem+json by hand.
    /// </summary>
    static readonly Regex ProblemConstruction = new(
        @"\b(Typed)?Results\s*\.\s*(Validation)?Problem\s*\(|\bnew\s+(Microsoft\.AspNetCore\.(Mvc|Http)\.)?(Http)?(Validation)?ProblemDetails\s*[({]|\bnew\s+ProblemDetailsContext\b|\bCreate(Validation)?ProblemDetails\s*\(|\bProblemHttpResult\s+\w+\s*\(\s*int\s+status\w*\s*,\s*string\s+detail|(ContentType\s*=|contentType\s*:)\s*""application/problem\+json""",
        RegexOptions.Compiled);

    /// <summary>Problems built outside <see cref="ProblemBuilder"/>, as "file:line: code".</summary>
    public static List<string> ProblemsBuiltElsewhere(IEnumerable<SourceFile> files) => Matches(files, ProblemConstruction, file => file.Path != ProblemBuilder);

    [Fact]
    public void Problem_documents_are_built_only_by_the_shared_builder()
    {
        var offending = ProblemsBuiltElsewhere(Sources.All);
        Assert.True(offending.Count == 0,
            $"Problem documents built outside {ProblemBuilder} (use Problems.Problem/Invalid/Validation/Details/WriteAsync):\n" + string.Join("\n", offending));
        Assert.True(Sources.All.Any(f => f.Path == ProblemBuilder && ProblemConstruction.IsMatch(f.Code)), $"{ProblemBuilder} builds no problem: the rule reads nothing.");
    }

    const string VietnamTime = "shared/Antq.Calendar/VietnamTime.cs";

    /// <summary>
    /// Vietnam's offset or zone spelled out: seven hours however written (hours, minutes, seconds, a TimeSpan), the
    /// zone's names (Windows, IANA, and the UTC+7 neighbours used in its place), a zone looked up or made up, or a
    /// string that is only the offset ("+07:00", "UTC+7"); an example inside a longer message is not a definition.
    /// </summary>
    static readonly Regex TimeZoneDefinition = new(
        @"FromHours\s*\(\s*\+?\s*7(\.0)?[dDmM]?\s*\)|FromMinutes\s*\(\s*420(\.0)?[dDmM]?\s*\)|FromSeconds\s*\(\s*25200(\.0)?[dDmM]?\s*\)|new\s+TimeSpan\s*\(\s*(0\s*,\s*)?7\s*,\s*0\s*,\s*0\s*\)|""SE Asia Standard Time""|""Asia/(Ho_Chi_Minh|Saigon|Bangkok|Jakarta|Phnom_Penh|Vientiane)""|Find(System)?TimeZoneById|CreateCustomTimeZone|""(UTC|GMT)?\+0?7(:?00)?""",
        RegexOptions.Compiled);

    /// <summary>Definitions of Vietnam time outside <see cref="VietnamTime"/>, as "file:line: code".</summary>
    public static List<string> TimeZonesDefinedElsewhere(IEnumerable<SourceFile> files) => Matches(files, TimeZoneDefinition, file => file.Path != VietnamTime);

    [Fact]
    public void Vietnam_time_is_defined_once()
    {
        var found = TimeZonesDefinedElsewhere(Sources.All);
        Assert.True(found.Count == 0, $"Vietnam's time zone defined again (use Antq.Calendar.VietnamTime):\n" + string.Join("\n", found));
        Assert.Contains(Sources.All, f => f.Path == VietnamTime && TimeZoneDefinition.IsMatch(f.Code));
    }

    /// <summary>
    /// The status values on the wire and in the tables: a report's, a standing at closing, a plan's, and Notification's
    /// notices, deliveries and digests.
    /// </summary>
    static readonly string[] StatusValues =
    [
        "draft", "submitted", "returned", "accepted", "missing", "onTime", "late", "notIssued", "issued", "superseded",
        "pending", "sending", "delivered", "failed", "sent", "cancelled", "open",
    ];

    /// <summary>A status written into hand-written SQL: Reporting's and Plan's (enum names), Notification's (lower case).</summary>
    static readonly Regex SqlStatus = new(@"'(Draft|Submitted|Returned|Accepted|Issued|Superseded|pending|sending|delivered|failed|sent|cancelled|open)'", RegexOptions.Compiled);

    /// <summary>
    /// Status values still written more than once in a project, by (project, value): the count allowed today. Reporting's
    /// hand-written SQL names the counted statuses in each query, and its Documents/ tests them by name; the portal (its
    /// labels) is another change's to edit; Notification's are explained below. They move to one definition each in their
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
        // A notice kind and the report's status it follows share the word (NoticeKinds, ReportStatuses); so do a
        // notice's and a delivery's "pending" and a notice's and a digest's "sent": each type's own definition.
        [("services/Notification/Antq.Notification.Api", "submitted")] = 2,
        [("services/Notification/Antq.Notification.Api", "returned")] = 2,
        [("services/Notification/Antq.Notification.Api", "accepted")] = 2,
        [("services/Notification/Antq.Notification.Api", "pending")] = 2,
        [("services/Notification/Antq.Notification.Api", "sent")] = 2,
        // Notification's hand-written SQL names the statuses as literals so that PostgreSQL matches its partial indexes
        // (WHERE status = 'pending', ON CONFLICT … WHERE status = 'open'), which a parameter would not.
        [("services/Notification/Antq.Notification.Api", "'pending'")] = 7,
        [("services/Notification/Antq.Notification.Api", "'sending'")] = 4,
        [("services/Notification/Antq.Notification.Api", "'open'")] = 5,
        [("services/Portal/Antq.Portal", "submitted")] = 2,
        [("services/Portal/Antq.Portal", "returned")] = 2,
        [("services/Portal/Antq.Portal", "accepted")] = 2,
    };

    /// <summary>Where each status value is written, by (project, value); files under Data/ (configurations) left out.</summary>
    public static Dictionary<(string Project, string Value), List<string>> StatusLiterals(IEnumerable<SourceFile> files)
    {
        var counts = new Dictionary<(string Project, string Value), List<string>>();
        foreach (var file in files.Where(f => !f.Path.Contains("/Data/", StringComparison.Ordinal)))
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

        return counts;
    }

    /// <summary>The values written more often than <see cref="PendingStatusRepeats"/> allows (once, for all others).</summary>
    public static List<string> StatusRepeats(Dictionary<(string Project, string Value), List<string>> counts)
    {
        var problems = new List<string>();
        foreach (var ((project, value), where) in counts)
        {
            var allowed = PendingStatusRepeats.GetValueOrDefault((project, value), 1);
            if (where.Count > allowed)
                problems.Add($"{project}: \"{value}\" written {where.Count} times (allowed {allowed}; define it once, as a type or one mapping): {string.Join(", ", where)}");
        }

        return problems;
    }

    [Fact]
    public void A_status_value_is_written_once_per_project()
    {
        var counts = StatusLiterals(Sources.All);
        var problems = StatusRepeats(counts);

        foreach (var ((project, value), allowed) in PendingStatusRepeats)
        {
            var now = counts.GetValueOrDefault((project, value))?.Count ?? 0;
            if (now < allowed) problems.Add($"{project}: \"{value}\" is now written {now} times: lower PendingStatusRepeats to {Math.Max(now, 1)} (or remove the entry).");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(counts.Count > 0, "no status value found: the rule reads nothing.");
    }

    /// <summary>An endpoint mapped: by verb, by a list of verbs, for every verb (<c>Map</c>) or as the fallback.</summary>
    static readonly Regex EndpointMapping = new(@"\.\s*Map(Get|Post|Put|Delete|Patch|Methods|Fallback)?\s*\(", RegexOptions.Compiled);

    [Fact]
    public void Every_endpoint_has_an_operation_id()
    {
        var missing = EndpointsWithoutOperationId(Sources.All, out var endpoints);
        Assert.True(missing.Count == 0, "Endpoints without an operation id (.WithName(\"camelCaseId\")) nor .ExcludeFromDescription():\n" + string.Join("\n", missing));
        Assert.True(endpoints > 50, $"only {endpoints} endpoints found: the rule reads too little.");
    }

    /// <summary>The endpoints (outside the portal's pages) with neither an operation id nor <c>ExcludeFromDescription</c>.</summary>
    public static List<string> EndpointsWithoutOperationId(IEnumerable<SourceFile> files, out int endpoints)
    {
        var missing = new List<string>();
        endpoints = 0;
        foreach (var file in files.Where(f => !f.Path.StartsWith("services/Portal/", StringComparison.Ordinal)))
        {
            foreach (Match match in EndpointMapping.Matches(file.Code))
            {
                endpoints++;
                var statement = Statement(file.Code, match.Index);
                if (!statement.Contains(".WithName(", StringComparison.Ordinal) && !statement.Contains(".ExcludeFromDescription(", StringComparison.Ordinal))
                    missing.Add($"{file.Path}:{file.LineOf(match.Index)}: {statement.Split('\n')[0].Trim()}");
            }
        }

        return missing;
    }

    /// <summary>The most a mapped handler may take (CONVENTIONS.md: "[AsParameters] where a handler needs more than four things").</summary>
    public const int MaxHandlerParameters = 4;

    /// <summary>A handler mapped by verb: the call's opening parenthesis ends the match.</summary>
    static readonly Regex VerbMapping = new(@"\.\s*Map(Get|Post|Put|Delete|Patch)\s*\(", RegexOptions.Compiled);

    [Fact]
    public void A_handler_takes_at_most_four_things()
    {
        var problems = HandlersWithTooManyParameters(Sources.All, out var handlers);
        Assert.True(problems.Count == 0,
            $"Handlers taking more than {MaxHandlerParameters} things (group route and query values into a record and the injected services into a <Feature>Services record, each taken [AsParameters]):\n" + string.Join("\n", problems));
        Assert.True(handlers > 50, $"only {handlers} handlers read: the rule reads too little.");
    }

    /// <summary>
    /// The handlers passed to MapGet/MapPost/MapPut/MapDelete/MapPatch that take more than four parameters, as
    /// "file:line: Name takes N: (…)". A handler is a lambda (its own parameter list, after an optional return type) or a
    /// method named by the mapping, whose declaration is looked for in the same file first, then in the same project. A
    /// parameter taken [AsParameters] counts as one. A handler that cannot be read is reported too, so that a mapping the
    /// rule does not understand cannot slip through.
    /// </summary>
    public static List<string> HandlersWithTooManyParameters(IEnumerable<SourceFile> files, out int handlers)
    {
        var all = files.ToList();
        var found = new List<string>();
        handlers = 0;
        foreach (var file in all)
        {
            foreach (Match match in VerbMapping.Matches(file.Code))
            {
                var handler = HandlerArgument(file.Code, match.Index + match.Length);
                if (handler is null) continue;
                handlers++;
                var where = $"{file.Path}:{file.LineOf(match.Index)}";
                var (name, parameters) = HandlerParameters(handler, file, all);
                if (parameters is null) found.Add($"{where}: handler not read: {handler.Split('\n')[0].Trim()}");
                else if (parameters.Count > MaxHandlerParameters)
                    found.Add($"{where}: {name} takes {parameters.Count}: ({string.Join(", ", parameters)})");
            }
        }

        return found;
    }

    /// <summary>The second argument of a mapping (the handler), from the call's opening parenthesis; null without one.</summary>
    static string? HandlerArgument(string code, int start)
    {
        var arguments = SplitTopLevel(code, start, ')');
        return arguments.Count >= 2 ? arguments[1].Trim() : null;
    }

    static readonly Regex LambdaHead = new(@"^(?:(?:async|static)\s+)*(?:(?<type>[\w.]+(?:\s*<[^=]*?>)?\??)\s*)?(?=\()", RegexOptions.Compiled);
    static readonly Regex SingleParameterLambda = new(@"^(?:(?:async|static)\s+)*\w+\s*=>", RegexOptions.Compiled);
    static readonly Regex MethodGroup = new(@"^(?:[\w]+\.)*(?<name>\w+)$", RegexOptions.Compiled);

    /// <summary>A handler's name and parameters (each as written), or null parameters when they cannot be read.</summary>
    static (string Name, List<string>? Parameters) HandlerParameters(string handler, SourceFile file, List<SourceFile> all)
    {
        if (SingleParameterLambda.IsMatch(handler)) return ("lambda", ["_"]);
        if (MethodGroup.Match(handler) is { Success: true } group)
        {
            var name = group.Groups["name"].Value;
            var project = Sources.ProjectOf(file);
            var declaration = Declaration(file, name)
                ?? all.Where(f => f != file && Sources.ProjectOf(f) == project).Select(f => Declaration(f, name)).FirstOrDefault(d => d is not null);
            return (name, declaration);
        }

        if (LambdaHead.Match(handler) is { Success: true } head)
        {
            var open = head.Length;
            var parameters = SplitTopLevel(handler, open + 1, ')', out var close);
            if (close > 0 && handler.AsSpan(close + 1).TrimStart().StartsWith("=>"))
                return ("lambda", [.. parameters.Select(p => p.Trim()).Where(p => p.Length > 0)]);
        }

        return ("?", null);
    }

    /// <summary>The parameters of the method <paramref name="name"/> declared in a file (a type before the name, a body after the list).</summary>
    static List<string>? Declaration(SourceFile file, string name)
    {
        foreach (Match match in Regex.Matches(file.Code, $@"(?<before>[\w>\]?])\s+{Regex.Escape(name)}\s*\("))
        {
            var word = Regex.Match(file.Code[..match.Index] + match.Groups["before"].Value, @"\w+$").Value;
            if (word is "return" or "await" or "new" or "nameof" or "throw" or "is" or "as" or "case" or "else" or "in") continue;
            var parameters = SplitTopLevel(file.Code, match.Index + match.Length, ')', out var close);
            if (close < 0) continue;
            var after = file.Code.AsSpan(close + 1).TrimStart();
            if (after.StartsWith("{") || after.StartsWith("=>") || after.StartsWith("where"))
                return [.. parameters.Select(p => p.Trim()).Where(p => p.Length > 0)];
        }

        return null;
    }

    static List<string> SplitTopLevel(string code, int start, char closing) => SplitTopLevel(code, start, closing, out _);

    /// <summary>
    /// The comma-separated parts from <paramref name="start"/> to the bracket closing them (its index in
    /// <paramref name="close"/>, −1 when none): brackets of every kind nest, generic angle brackets too where one follows
    /// a name at the outer level (a body's comparisons are not read), and strings and characters are skipped.
    /// </summary>
    static List<string> SplitTopLevel(string code, int start, char closing, out int close)
    {
        var parts = new List<string>();
        var depth = 0;
        var angle = 0;
        var from = start;
        for (var i = start; i < code.Length; i++)
        {
            var c = code[i];
            if (c is '"' or '\'')
            {
                i++;
                while (i < code.Length && code[i] != c) i += code[i] == '\\' ? 2 : 1;
                continue;
            }

            switch (c)
            {
                case '(' or '[' or '{': depth++; break;
                case '<' when depth == 0 && i > 0 && (char.IsLetterOrDigit(code[i - 1]) || code[i - 1] == '_'): angle++; break;
                case '>' when depth == 0 && angle > 0 && code[i - 1] != '=': angle--; break;
                case ')' or ']' or '}' when depth == 0:
                    if (c != closing) break;
                    parts.Add(code[from..i]);
                    close = i;
                    return parts;
                case ')' or ']' or '}': depth--; break;
                case ',' when depth == 0 && angle == 0:
                    parts.Add(code[from..i]);
                    from = i + 1;
                    break;
            }
        }

        close = -1;
        return parts;
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

    static List<string> Matches(IEnumerable<SourceFile> files, Regex rule, Func<SourceFile, bool> where) =>
    [
        .. files.Where(where).SelectMany(f => rule.Matches(f.Code).Select(m => $"{f.Path}:{f.LineOf(m.Index)}: {m.Value}")),
    ];
}
