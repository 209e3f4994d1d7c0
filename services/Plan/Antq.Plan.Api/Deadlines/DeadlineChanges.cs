using System.Diagnostics;
using Antq.Calendar;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Plan.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Antq.Plan.Api.Deadlines;

/// <summary>What one recomputation did, for the log and the caller.</summary>
public sealed record RecomputeResult(int UnitsExamined, int DeadlinesChanged, int Messages, long ElapsedMs);

/// <summary>
/// Recomputes stored deadlines and publishes those that changed: below a unit when a plan is issued, and for the units
/// a change of the tree touched (<see cref="RecomputeUnitsAsync"/>). Set-based: one read of the tree valid at the end
/// of each period's data window, one of the year's issued plans, one of the stored rows, one upsert of the changes and
/// one <see cref="DeadlinesChanged"/> per <see cref="DeadlineOptions.BatchSize"/> changed rows, all in the caller's
/// transaction (which must hold <see cref="WriterLock"/>).
/// </summary>
public static class DeadlineChanges
{
    /// <summary>
    /// "ANTQ" 2: one writer of plans and deadlines at a time, so sequences follow commit order. Lock order: a writer
    /// that needs the unit writer's lock too (<see cref="OrgUnitChanges"/>, "ANTQ" 1) takes that one first and this one
    /// second; the plan paths take only this one, so no two writers can wait for each other.
    /// </summary>
    public const long WriterLock = 0x414E5451_0002;

    public static Task LockAsync(PlanDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriterLock})", ct);

    /// <summary>The chain of one period: the hierarchy valid at the end of its data window and the year's issued plans.</summary>
    public static async Task<DeadlineChain> ChainAsync(PlanDbContext db, ReportingPeriod period, DeadlineOptions options, DataWindowOptions window,
        CancellationToken ct)
    {
        var day = period.HierarchyDate(window);
        var units = await db.OrgUnits.AsNoTracking()
            .Where(u => u.ValidFrom <= day && (u.ValidTo == null || u.ValidTo > day))
            .Select(u => new { u.Code, u.ParentCode })
            .ToListAsync(ct);
        var parents = new Dictionary<string, string?>(units.Count, StringComparer.Ordinal);
        foreach (var unit in units) parents.TryAdd(unit.Code, unit.ParentCode);

        var code = period.Code;
        var set = await db.Plans.AsNoTracking()
            .Where(p => p.Year == period.Year && p.Status == PlanStatus.Issued)
            .SelectMany(p => p.Deadlines.Where(d => d.Period == code), (p, d) => new { p.IssuerCode, p.Id, d.DueAt, p.IssuedAt })
            .ToListAsync(ct);
        // One issued plan per issuer and year is the rule; should two exist, the later issued one binds.
        var settings = set.OrderBy(s => s.IssuedAt).GroupBy(s => s.IssuerCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new PlanSetting(g.Last().Id, g.Last().DueAt.ToVietnam()), StringComparer.Ordinal);
        return new DeadlineChain(parents, settings, options.LeadTime);
    }

    /// <summary>
    /// Recomputes both periods of <paramref name="year"/> for every unit below <paramref name="rootCode"/>, and for every
    /// unit whose stored deadline came from one of <paramref name="replacedPlanIds"/> (a superseded version), so that
    /// nobody keeps a stale one. Rows that changed are upserted and published; the caller saves and commits.
    /// </summary>
    public static Task<RecomputeResult> RecomputeAsync(PlanDbContext db, string rootCode, int year, IReadOnlyCollection<Guid> replacedPlanIds,
        DeadlineOptions options, DataWindowOptions window, TimeProvider clock, CancellationToken ct)
    {
        var replaced = replacedPlanIds.ToArray();
        return RecomputeAsync(db, ReportingPeriod.OfYear(year), async (chain, period, c) =>
        {
            var targets = new HashSet<string>(chain.Descendants(rootCode), StringComparer.Ordinal);
            if (replaced.Length > 0)
            {
                var code = period.Code;
                var fromReplaced = await db.UnitDeadlines.AsNoTracking()
                    .Where(d => d.Period == code && d.PlanId != null && replaced.Contains(d.PlanId.Value))
                    .Select(d => d.OrgUnitCode).ToListAsync(c);
                targets.UnionWith(fromReplaced);
            }

            return targets;
        }, options, window, clock, ct);
    }

    /// <summary>
    /// After a change of the tree effective from <paramref name="effectiveFrom"/>: recomputes the units
    /// <paramref name="unitCodes"/> (those opened, moved or closed) and every unit below any of them, in each period
    /// the change can reach (<see cref="ReportingPeriod.ReachedFrom"/>) of the years with an issued plan. A unit that
    /// left a period's hierarchy loses its deadline (a row without <c>DueAt</c>, published like any other change).
    /// Rows that changed are upserted and published; the caller saves and commits.
    /// </summary>
    public static async Task<RecomputeResult> RecomputeUnitsAsync(PlanDbContext db, IReadOnlyCollection<string> unitCodes, DateOnly effectiveFrom,
        DeadlineOptions options, DataWindowOptions window, TimeProvider clock, CancellationToken ct)
    {
        if (unitCodes.Count == 0) return new RecomputeResult(0, 0, 0, 0);
        var years = await db.Plans.AsNoTracking()
            .Where(p => p.Status == PlanStatus.Issued && p.Year >= effectiveFrom.Year)
            .Select(p => p.Year).Distinct().ToListAsync(ct);
        var periods = ReportingPeriod.ReachedFrom(effectiveFrom, years, window);
        if (periods.Count == 0) return new RecomputeResult(0, 0, 0, 0);
        var changed = unitCodes.ToArray();
        return await RecomputeAsync(db, periods, (chain, _, _) =>
        {
            var targets = new HashSet<string>(changed, StringComparer.Ordinal);
            targets.UnionWith(chain.Descendants(changed));
            return Task.FromResult(targets);
        }, options, window, clock, ct);
    }

    /// <summary>The one engine: for each period, the units <paramref name="targetsOf"/> names in its chain.</summary>
    static async Task<RecomputeResult> RecomputeAsync(PlanDbContext db, IEnumerable<ReportingPeriod> periods,
        Func<DeadlineChain, ReportingPeriod, CancellationToken, Task<HashSet<string>>> targetsOf,
        DeadlineOptions options, DataWindowOptions window, TimeProvider clock, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var examined = 0;
        var changedTotal = 0;
        var messages = 0;
        var now = clock.GetUtcNow();
        foreach (var period in periods)
        {
            var chain = await ChainAsync(db, period, options, window, ct);
            var code = period.Code;
            var targets = await targetsOf(chain, period, ct);

            examined += targets.Count;
            if (targets.Count == 0) continue;
            var codes = targets.ToArray();
            var stored = await db.UnitDeadlines.AsNoTracking()
                .Where(d => d.Period == code && codes.Contains(d.OrgUnitCode))
                .ToDictionaryAsync(d => d.OrgUnitCode, StringComparer.Ordinal, ct);

            var changed = new List<UnitDeadlineRecord>();
            foreach (var unit in codes.Order(StringComparer.Ordinal))
            {
                var binding = chain.For(unit);
                stored.TryGetValue(unit, out var old);
                if (binding is null)
                {
                    if (old is null || old.DueAt is null) continue;
                    changed.Add(new UnitDeadlineRecord { OrgUnitCode = unit, Period = code, ReportsToCode = old.ReportsToCode, ComputedAt = now });
                    continue;
                }

                if (old is not null && old.DueAt == binding.DueAt && old.PlanId == binding.PlanId && old.Derived == binding.Derived && old.ReportsToCode == binding.ReportsToCode) continue;
                changed.Add(new UnitDeadlineRecord
                {
                    OrgUnitCode = unit, Period = code, ReportsToCode = binding.ReportsToCode, DueAt = binding.DueAt,
                    PlanId = binding.PlanId, Derived = binding.Derived, ComputedAt = now,
                });
            }

            if (changed.Count == 0) continue;
            var batches = changed.Chunk(Math.Max(1, options.BatchSize)).ToList();
            var sequences = await NextSequencesAsync(db, batches.Count, ct);
            for (var i = 0; i < batches.Count; i++)
            {
                foreach (var row in batches[i]) row.Sequence = sequences[i];
                db.AddOutboxMessage(new DeadlinesChanged
                {
                    Period = code,
                    Deadlines = [.. batches[i].Select(ToContract)],
                    OccurredAt = now,
                }, clock);
            }

            await UpsertAsync(db, changed, ct);
            changedTotal += changed.Count;
            messages += batches.Count;
        }

        return new RecomputeResult(examined, changedTotal, messages, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public static UnitDeadline ToContract(UnitDeadlineRecord row) => new()
    {
        OrgUnitCode = row.OrgUnitCode,
        ReportsToCode = row.ReportsToCode,
        DueAt = row.DueAt?.ToVietnam(),
        PlanId = row.PlanId,
        Derived = row.Derived,
        Sequence = row.Sequence,
    };

    static async Task<long[]> NextSequencesAsync(PlanDbContext db, int count, CancellationToken ct) =>
        [.. (await db.Database
            .SqlQuery<long>($"SELECT nextval('deadline_change_seq') AS \"Value\" FROM generate_series(1, {count})")
            .ToListAsync(ct)).Order()];

    /// <summary>One statement for all changed rows: arrays unnested into an INSERT … ON CONFLICT DO UPDATE.</summary>
    static Task UpsertAsync(PlanDbContext db, IReadOnlyList<UnitDeadlineRecord> rows, CancellationToken ct)
    {
        var parameters = new object[]
        {
            new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => r.OrgUnitCode).ToArray() },
            new NpgsqlParameter("periods", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => r.Period).ToArray() },
            new NpgsqlParameter("reports", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => r.ReportsToCode).ToArray() },
            new NpgsqlParameter("dues", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.DueAt?.UtcDateTime).ToArray() },
            new NpgsqlParameter("plans", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.PlanId).ToArray() },
            new NpgsqlParameter("derived", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = rows.Select(r => r.Derived).ToArray() },
            new NpgsqlParameter("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.Sequence).ToArray() },
            new NpgsqlParameter("computed", NpgsqlDbType.TimestampTz) { Value = rows[0].ComputedAt.UtcDateTime },
        };
        return db.Database.ExecuteSqlRawAsync("""
            INSERT INTO unit_deadlines (org_unit_code, period, reports_to_code, due_at, plan_id, derived, sequence, computed_at)
            SELECT u.code, u.period, u.reports_to, u.due_at, u.plan_id, u.derived, u.sequence, @computed
            FROM unnest(@codes, @periods, @reports, @dues, @plans, @derived, @sequences)
                AS u(code, period, reports_to, due_at, plan_id, derived, sequence)
            ON CONFLICT (org_unit_code, period) DO UPDATE SET
                reports_to_code = excluded.reports_to_code, due_at = excluded.due_at, plan_id = excluded.plan_id,
                derived = excluded.derived, sequence = excluded.sequence, computed_at = excluded.computed_at
            """, parameters, ct);
    }
}
