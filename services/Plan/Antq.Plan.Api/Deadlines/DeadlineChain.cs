using Antq.Calendar;

namespace Antq.Plan.Api.Deadlines;

/// <summary>The deadline one issued plan sets for one period, for the units that report to its issuer.</summary>
public sealed record PlanSetting(Guid PlanId, DateTimeOffset DueAt);

/// <summary>The deadline that binds a unit for a period, and where it comes from.</summary>
public sealed record BindingDeadline(string OrgUnitCode, string ReportsToCode, DateTimeOffset DueAt, Guid PlanId, bool Derived);

/// <summary>
/// The deadline chain of one period over the hierarchy valid at the end of its data window. A unit's deadline is the
/// one set by the issued plan of its parent (the unit it reports to); where the parent set none for the period, it is
/// the deadline binding the parent minus the lead time, applied level by level down from the nearest ancestor whose
/// plan set one. A unit with no such ancestor (and the root) has no deadline, nor has a unit whose parent is not in the
/// hierarchy that day (closed or merged away, or not yet opened): there is nobody to consolidate its report.
/// </summary>
public sealed class DeadlineChain
{
    /// <summary>Deeper than any real hierarchy (Ministry → province → district → commune → residential area); guards a cycle.</summary>
    const int MaxDepth = 32;

    readonly IReadOnlyDictionary<string, string?> parents;
    readonly IReadOnlyDictionary<string, PlanSetting> settings;
    readonly TimeSpan leadTime;
    readonly Dictionary<string, BindingDeadline?> known = new(StringComparer.Ordinal);
    Dictionary<string, List<string>>? children;

    /// <param name="parents">Every unit valid on the day, by code, with its parent's code (null for the root).</param>
    /// <param name="settings">Per issuer code, what its issued plan for the year sets for this period.</param>
    /// <param name="leadTime">What a level without a plan keeps for itself.</param>
    public DeadlineChain(IReadOnlyDictionary<string, string?> parents, IReadOnlyDictionary<string, PlanSetting> settings, TimeSpan leadTime)
    {
        this.parents = parents;
        this.settings = settings;
        this.leadTime = leadTime;
    }

    /// <summary>The deadline binding <paramref name="code"/>, or null where no plan above sets one (or the unit is unknown).</summary>
    public BindingDeadline? For(string code)
    {
        if (known.TryGetValue(code, out var done)) return done;

        // Up to the first unit already known, the root, or an unknown code; then down again, one level at a time.
        var path = new List<string>();
        var current = code;
        while (current is not null && !known.ContainsKey(current) && parents.ContainsKey(current))
        {
            if (path.Count >= MaxDepth) throw new InvalidOperationException($"The hierarchy above {code} is deeper than {MaxDepth} levels or has a cycle.");
            path.Add(current);
            current = parents[current];
        }

        for (var i = path.Count - 1; i >= 0; i--) known[path[i]] = Compute(path[i]);
        return known.TryGetValue(code, out var binding) ? binding : null;
    }

    BindingDeadline? Compute(string code)
    {
        var parent = parents[code];
        if (parent is null || !parents.ContainsKey(parent)) return null;
        if (settings.TryGetValue(parent, out var set)) return new BindingDeadline(code, parent, set.DueAt, set.PlanId, Derived: false);
        var above = known.TryGetValue(parent, out var p) ? p : For(parent);
        return above is null ? null : new BindingDeadline(code, parent, above.DueAt - leadTime, above.PlanId, Derived: true);
    }

    /// <summary>Every unit below <paramref name="code"/> (not itself), breadth first.</summary>
    public IReadOnlyList<string> Descendants(string code) => Descendants([code]);

    /// <summary>
    /// Every unit below any of <paramref name="codes"/> (not those themselves), breadth first. A code need not be in the
    /// hierarchy: the units still naming a closed unit as their parent are below it.
    /// </summary>
    public IReadOnlyList<string> Descendants(IEnumerable<string> codes)
    {
        children ??= parents.Where(p => p.Value is not null).GroupBy(p => p.Value!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Key).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var result = new List<string>();
        var seen = new HashSet<string>(codes, StringComparer.Ordinal);
        var queue = new Queue<string>(seen.Order(StringComparer.Ordinal));
        while (queue.Count > 0)
        {
            if (!children.TryGetValue(queue.Dequeue(), out var below)) continue;
            foreach (var child in below)
            {
                if (!seen.Add(child)) continue;
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>
    /// The refusal rule: a plan may not give the units below its issuer a deadline later than the one binding the
    /// issuer itself, or the issuer could not consolidate their reports in time. Null when it is acceptable.
    /// </summary>
    public static string? ChildDeadlineTooLate(string period, DateTimeOffset childDueAt, BindingDeadline? own)
    {
        if (own is null || childDueAt <= own.DueAt) return null;
        return $"Hạn nộp kỳ {period} mà kế hoạch giao cho đơn vị cấp dưới ({DueDate.Describe(childDueAt)}) muộn hơn hạn nộp của chính đơn vị ban hành lên cấp trên ({DueDate.Describe(own.DueAt)}). Hạn cho cấp dưới muộn nhất là {DueDate.Describe(own.DueAt)}.";
    }
}
