using Antq.Calendar;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Plan.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Antq.Plan.Api.Units;

/// <summary>What an import changed in the tree, and what that did to the stored deadlines.</summary>
public sealed record UnitImportResult(UnitImportPlan Plan, RecomputeResult Deadlines);

/// <summary>
/// Writes unit changes: one transaction, serialized with other unit writers, bulk writes (COPY, set-based updates), the
/// <see cref="OrgUnitsChanged"/> batches in the outbox of the same transaction, and the deadlines of the units the
/// change touched recomputed and published (<see cref="DeadlinesChanged"/>) in it too.
/// </summary>
public static class OrgUnitChanges
{
    /// <summary>Versions per <see cref="OrgUnitsChanged"/> message: a few hundred kilobytes each.</summary>
    public const int BatchSize = 1000;

    /// <summary>The Ministry (Bộ Công an), root of the tree, valid since the police were founded.</summary>
    public static readonly DateOnly RootValidFrom = new(1945, 8, 19);

    /// <summary>"ANTQ" 1: one unit writer at a time. Taken before <see cref="DeadlineChanges.WriterLock"/>, never after it.</summary>
    public const long WriterLock = 0x414E5451_0001;

    /// <summary>
    /// Imports the units of <paramref name="file"/> valid from <paramref name="effectiveFrom"/>: one unit added, a list,
    /// a unit moved (a new version under another parent), units closed or merged (a complete list without them, with
    /// their successor). The deadlines of every unit opened or closed, and of the units below them, are recomputed in
    /// the same transaction for each period of an issued plan that the change reaches, and those that changed are
    /// published. Runs in the caller's transaction when there is one (which then commits the import together with what
    /// it adds, such as the audit of the act), else in one of its own.
    /// </summary>
    public static async Task<UnitImportResult> ImportAsync(PlanDbContext db, UnitFile file, DateOnly effectiveFrom, DeadlineOptions deadlineOptions,
        DataWindowOptions window, TimeProvider clock, CancellationToken ct)
    {
        await using var transaction = await OwnTransactionAsync(db, ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriterLock})", ct);

        var valid = await db.OrgUnits.AsNoTracking()
            .Where(u => u.ValidFrom <= effectiveFrom && (u.ValidTo == null || u.ValidTo > effectiveFrom))
            .ToListAsync(ct);
        var laterStarts = await db.OrgUnits.AsNoTracking()
            .Where(u => u.ValidFrom > effectiveFrom)
            .GroupBy(u => u.Code)
            .Select(g => new { Code = g.Key, First = g.Min(u => u.ValidFrom) })
            .ToDictionaryAsync(x => x.Code, x => x.First, ct);

        var plan = UnitImportPlan.Build(file, effectiveFrom, valid, laterStarts);
        if (!await db.OrgUnits.AnyAsync(u => u.Code == DvhcFileParser.RootCode, ct))
        {
            plan.ToCreate.Insert(0, new OrgUnit
            {
                Id = Guid.CreateVersion7(),
                Code = DvhcFileParser.RootCode,
                Name = "Bộ Công an",
                NormalizedName = VietnameseText.Normalize("Bộ Công an"),
                Kind = OrgUnitKind.Ministry,
                ValidFrom = RootValidFrom,
            });
        }

        foreach (var unit in plan.ToClose) unit.ValidTo = effectiveFrom;
        var changed = plan.ToClose.Concat(plan.ToCreate).ToList();
        var deadlines = new RecomputeResult(0, 0, 0, 0);
        if (changed.Count > 0)
        {
            var sequences = await NextSequencesAsync(db, (changed.Count + BatchSize - 1) / BatchSize, ct);
            var now = clock.GetUtcNow();
            var batches = changed.Chunk(BatchSize).ToList();
            for (var i = 0; i < batches.Count; i++)
            {
                foreach (var unit in batches[i]) unit.ChangeSequence = sequences[i];
                db.AddOutboxMessage(new OrgUnitsChanged
                {
                    Sequence = sequences[i],
                    Units = [.. batches[i].Select(ToVersion)],
                    Replay = false,
                    OccurredAt = now,
                }, clock);
            }

            foreach (var group in plan.ToClose.GroupBy(u => u.ChangeSequence))
            {
                var ids = group.Select(u => u.Id).ToList();
                var sequence = group.Key;
                await db.OrgUnits.Where(u => ids.Contains(u.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.ValidTo, effectiveFrom).SetProperty(u => u.ChangeSequence, sequence), ct);
            }

            await CopyAsync(db, plan.ToCreate, ct);
            await db.SaveChangesAsync(ct);

            // The deadline writer's lock second, as every path holding both takes them; then the chains read the tree as
            // this transaction wrote it and the plans as committed before us.
            await DeadlineChanges.LockAsync(db, ct);
            var codes = changed.Select(u => u.Code).Distinct(StringComparer.Ordinal).ToList();
            deadlines = await DeadlineChanges.RecomputeUnitsAsync(db, codes, effectiveFrom, deadlineOptions, window, clock, ct);
            await db.SaveChangesAsync(ct);
        }

        if (transaction is not null) await transaction.CommitAsync(ct);
        return new UnitImportResult(plan, deadlines);
    }

    /// <summary>
    /// Replaces the predecessors of every successor in <paramref name="successorIds"/> with <paramref name="links"/>, in
    /// the caller's transaction when there is one.
    /// </summary>
    public static async Task ReplaceLineageAsync(PlanDbContext db, IReadOnlyCollection<Guid> successorIds, IReadOnlyList<LineageLink> links,
        IReadOnlyList<OrgUnitLineageChanged> messages, TimeProvider clock, CancellationToken ct)
    {
        await using var transaction = await OwnTransactionAsync(db, ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriterLock})", ct);
        var ids = successorIds.ToArray();
        await db.Database.ExecuteSqlAsync($"DELETE FROM org_unit_predecessors WHERE successor_id = ANY({ids})", ct);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY org_unit_predecessors (successor_id, predecessor_id, partial) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var link in links)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(link.SuccessorId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(link.PredecessorId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(link.Partial, NpgsqlDbType.Boolean, ct);
            }

            await writer.CompleteAsync(ct);
        }

        foreach (var message in messages) db.AddOutboxMessage(message, clock);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
    }

    /// <summary>A transaction of this writer's own, or null when the caller's is already open (the writer lock then lasts until it commits).</summary>
    static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> OwnTransactionAsync(PlanDbContext db, CancellationToken ct) =>
        db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;

    /// <summary>
    /// The links as <see cref="OrgUnitLineageChanged"/> messages: a successor's predecessors always in one message, at most
    /// <see cref="OrgUnitLineageChanged.MaxLinks"/> links per message (a successor has a handful).
    /// </summary>
    public static IReadOnlyList<OrgUnitLineageChanged> LineageMessages(IReadOnlyList<LineageLink> links, IReadOnlyDictionary<Guid, OrgUnit> units, DateTimeOffset now)
    {
        var messages = new List<OrgUnitLineageChanged>();
        var current = new List<OrgUnitLineageLink>();
        foreach (var group in links.GroupBy(l => l.SuccessorId))
        {
            var successor = units[group.Key];
            var batch = group.Select(l => units[l.PredecessorId]).Zip(group, (p, l) => new OrgUnitLineageLink
            {
                SuccessorCode = successor.Code,
                SuccessorValidFrom = successor.ValidFrom,
                PredecessorCode = p.Code,
                PredecessorValidTo = p.ValidTo,
                Partial = l.Partial,
            }).ToList();
            if (current.Count > 0 && current.Count + batch.Count > OrgUnitLineageChanged.MaxLinks)
            {
                messages.Add(new OrgUnitLineageChanged { Links = current, OccurredAt = now });
                current = [];
            }

            current.AddRange(batch);
        }

        if (current.Count > 0) messages.Add(new OrgUnitLineageChanged { Links = current, OccurredAt = now });
        return messages;
    }

    /// <summary>Re-publishes the versions changed after <paramref name="afterSequence"/>, in order, for a copy catching up.</summary>
    public static async Task<int> ReplayAsync(PlanDbContext db, long afterSequence, TimeProvider clock, CancellationToken ct)
    {
        var units = await db.OrgUnits.AsNoTracking()
            .Where(u => u.ChangeSequence > afterSequence)
            .OrderBy(u => u.ChangeSequence).ThenBy(u => u.Id)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var batch in units.Chunk(BatchSize))
        {
            db.AddOutboxMessage(new OrgUnitsChanged
            {
                Sequence = batch[^1].ChangeSequence,
                Units = [.. batch.Select(ToVersion)],
                Replay = true,
                OccurredAt = now,
            }, clock);
        }

        return units.Count;
    }

    public static OrgUnitVersion ToVersion(OrgUnit unit) => new()
    {
        Id = unit.Id,
        Code = unit.Code,
        Name = unit.Name,
        Kind = unit.Kind.ToString(),
        CommuneKind = unit.CommuneKind?.ToString(),
        ParentCode = unit.ParentCode,
        ValidFrom = unit.ValidFrom,
        ValidTo = unit.ValidTo,
        ChangeSequence = unit.ChangeSequence,
    };

    static async Task<long[]> NextSequencesAsync(PlanDbContext db, int count, CancellationToken ct) =>
        [.. (await db.Database
            .SqlQuery<long>($"SELECT nextval('org_unit_change_seq') AS \"Value\" FROM generate_series(1, {count})")
            .ToListAsync(ct)).Order()];

    /// <summary>Binary COPY: 14,000 versions in well under a second, in the open transaction.</summary>
    static async Task CopyAsync(PlanDbContext db, IReadOnlyList<OrgUnit> units, CancellationToken ct)
    {
        if (units.Count == 0) return;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY org_units (id, code, name, normalized_name, kind, commune_kind, parent_code, valid_from, valid_to, change_sequence) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var unit in units)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(unit.Id, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(unit.Code, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(unit.Name, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(unit.NormalizedName, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(unit.Kind.ToString(), NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(writer, unit.CommuneKind?.ToString(), NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(writer, unit.ParentCode, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(unit.ValidFrom, NpgsqlDbType.Date, ct);
            if (unit.ValidTo is { } to) await writer.WriteAsync(to, NpgsqlDbType.Date, ct);
            else await writer.WriteNullAsync(ct);
            await writer.WriteAsync(unit.ChangeSequence, NpgsqlDbType.Bigint, ct);
        }

        await writer.CompleteAsync(ct);
    }

    static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await writer.WriteNullAsync(ct);
        else await writer.WriteAsync(value, type, ct);
    }
}
