using System.Text.Json;
using Antq.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Antq.Reporting.Api.Reports;

/// <summary>What a save or a submission reads before it decides: one round trip.</summary>
/// <param name="ParentClosedAt">When the period closed at the unit the report goes to; null while it is open there.</param>
public sealed record ReportState(Report? Report, string? CatalogueInForce, (string ClosingUnit, DateTimeOffset ClosedAt)? Lock, DateTimeOffset? DueAt,
    DateTimeOffset? ParentClosedAt);

/// <summary>
/// The hot path of a report's life — draft saves and submissions, every commune of a province on a deadline day —
/// in hand-written SQL and without change tracking, so that a submission costs Reporting three round trips to
/// PostgreSQL: the unit's path (its own query, before the scope check), <see cref="ReadAsync"/>, and
/// <see cref="WriteAsync"/>'s one batch, committed by the server as the batch ends. The write is one statement whose
/// every part (values, change sets, events, roll-up cells) depends on the report's row being written at the version the
/// caller read, so a concurrent change leaves nothing behind. The roll-up cells are written as
/// <see cref="RollupCells.ApplyAsync"/> writes them (same lock order, same shard rule).
/// </summary>
public sealed class ReportStore(ReportingDbContext db, OutboxSignal outboxSignal)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The report of a unit and period with its values, the catalogue in force, the closing lock and the deadline.</summary>
    public async Task<ReportState> ReadAsync(string code, string period, string? parent, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("SELECT version FROM catalogue_versions ORDER BY sequence DESC LIMIT 1"),
                Command("""
                    SELECT id, catalogue_version, status, version, narrative::text, created_at, created_by, updated_at, updated_by,
                           submitted_at, submitted_by, due_at, on_time, decided_at, decided_by, return_reason, rollup_path, reports_to_code, consolidated
                    FROM reports WHERE org_unit_code = $1 AND period = $2
                    """, code, period),
                Command("SELECT v.indicator, v.value FROM report_values v JOIN reports r ON r.id = v.report_id WHERE r.org_unit_code = $1 AND r.period = $2", code, period),
                Command("""
                    SELECT p.org_unit_code, p.closed_at FROM period_closing_children c JOIN period_closings p ON p.id = c.closing_id
                    WHERE c.child_code = $1 AND c.frozen AND c.reopened_at IS NULL AND p.period = $2 LIMIT 1
                    """, code, period),
                Command("SELECT due_at FROM unit_deadlines WHERE org_unit_code = $1 AND period = $2", code, period),
                Command("SELECT closed_at FROM period_closings WHERE org_unit_code = $1 AND period = $2", parent ?? "", period),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var inForce = await reader.ReadAsync(ct) ? reader.GetString(0) : null;

        await reader.NextResultAsync(ct);
        Report? report = null;
        if (await reader.ReadAsync(ct))
        {
            report = new Report
            {
                Id = reader.GetGuid(0), OrgUnitCode = code, Period = period, CatalogueVersion = reader.GetString(1),
                Status = Enum.Parse<ReportStatus>(reader.GetString(2)), Version = reader.GetInt32(3),
                Narrative = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [],
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(5), CreatedBy = reader.GetString(6),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(7), UpdatedBy = reader.GetString(8),
                SubmittedAt = Nullable<DateTimeOffset>(reader, 9), SubmittedBy = NullableString(reader, 10),
                DueAt = Nullable<DateTimeOffset>(reader, 11), OnTime = Nullable<bool>(reader, 12),
                DecidedAt = Nullable<DateTimeOffset>(reader, 13), DecidedBy = NullableString(reader, 14), ReturnReason = NullableString(reader, 15),
                RollupPath = [.. reader.GetFieldValue<string[]>(16)], ReportsToCode = NullableString(reader, 17), Consolidated = reader.GetBoolean(18),
            };
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
            report?.Values.Add(new ReportValue { ReportId = report.Id, Indicator = reader.GetString(0), Value = Nullable<decimal>(reader, 1) });

        await reader.NextResultAsync(ct);
        (string, DateTimeOffset)? locked = await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;

        await reader.NextResultAsync(ct);
        var dueAt = await reader.ReadAsync(ct) ? Nullable<DateTimeOffset>(reader, 0) : null;

        await reader.NextResultAsync(ct);
        var parentClosedAt = await reader.ReadAsync(ct) ? reader.GetFieldValue<DateTimeOffset>(0) : (DateTimeOffset?)null;
        return new ReportState(report, inForce, locked, dueAt, parentClosedAt);
    }

    /// <summary>
    /// Writes a report after a save or a submission, in one transaction: its row (inserted when <paramref name="created"/>,
    /// else updated only if it is still at <paramref name="readVersion"/>), the values the step changed, its new change
    /// sets, the outbox messages the step added to the context, and — for a step that moves the report into the counted
    /// set — its values into the roll-up of every unit of <paramref name="rollupPath"/>; then, if the period has closed at
    /// <paramref name="parent"/>, <paramref name="alsoInTransaction"/>. Answers false, having written nothing, when
    /// someone else created or changed the report meanwhile.
    /// <para>
    /// Usually the batch is its own transaction, committed by the server as the batch ends (PostgreSQL runs a batch up to
    /// its one Sync as one implicit transaction): the roll-up rows of the ancestors, which every submission of a province
    /// writes, are held for the statement and its commit, not also for the round trip back to this process and a
    /// separate COMMIT — under load, a submission waited for the one before it for that long (issue 22's wait-event
    /// profile: 13 % of PostgreSQL's busy sessions waiting on another's row lock). The write is then made only while the
    /// period is open at <paramref name="parent"/> (read in the same statement, under the closing lock); when it has
    /// closed and <paramref name="alsoInTransaction"/> has work, nothing is written and the step goes again in an explicit
    /// transaction with it (a late report and the consolidated draft it changes, committed together).
    /// </para>
    /// </summary>
    public async Task<bool> WriteAsync(Report report, bool created, int readVersion, IReadOnlyCollection<string> changedValues,
        IReadOnlyList<string>? rollupPath, string? parent, Func<DateTimeOffset?, CancellationToken, Task>? alsoInTransaction, CancellationToken ct)
    {
        var outbox = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).ToList();
        var messages = outbox.Select(e => e.Entity).ToList();
        foreach (var entry in outbox) entry.State = EntityState.Detached; // written below, in the same statement
        await OpenAsync(ct);

        var (written, parentClosedAt) = await ExecuteWriteAsync(null, report, created, readVersion, changedValues, rollupPath, parent,
            openAt: alsoInTransaction is null ? null : parent, messages, ct);
        if (written == 1)
        {
            // No context transaction committed: the dispatcher is woken here, as a commit would have woken it.
            if (messages.Count > 0) outboxSignal.Notify();
            report.Changes.Clear(); // stored; the history is read back from the table
            return true;
        }

        if (parentClosedAt is null || alsoInTransaction is null) return false;

        // The context's transaction: its commit wakes the outbox dispatcher (OutboxSignal), as any other step's does.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (writtenInTransaction, closedAt) = await ExecuteWriteAsync((NpgsqlTransaction)transaction.GetDbTransaction(), report, created, readVersion,
            changedValues, rollupPath, parent, openAt: null, messages, ct);
        if (writtenInTransaction != 1)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }

        // What else the step changes with it (the consolidated draft of a level that closed already): one commit for all.
        await alsoInTransaction(closedAt, ct);
        await transaction.CommitAsync(ct);
        report.Changes.Clear();
        return true;
    }

    /// <summary>
    /// The write's one batch (in <paramref name="transaction"/>, or as its own transaction): rows written (1, or 0 when the
    /// report changed meanwhile or the period has closed at <paramref name="openAt"/>), and when the period closed at
    /// <paramref name="parent"/>, read under the closing lock.
    /// </summary>
    async Task<(long Written, DateTimeOffset? ParentClosedAt)> ExecuteWriteAsync(NpgsqlTransaction? transaction, Report report, bool created,
        int readVersion, IReadOnlyCollection<string> changedValues, IReadOnlyList<string>? rollupPath, string? parent, string? openAt,
        List<OutboxMessage> messages, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var counts = rollupPath is { Count: > 0 } && report.CountsInRollup;
        if (counts)
        {
            // Before any row lock: a recomputation of the period holds it exclusively (see RollupCells).
            batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock_shared(hashtext('rollup:' || $1))", report.Period));
        }

        // A closing at the level above waits for this step, or this step for the closing: never both at once (see
        // ClosingLock). What the closing decided is read again after the lock, below (and by the write, for openAt).
        if (parent is not null) batch.BatchCommands.Add(Command(ClosingLock.SharedSql, ClosingLock.Key(parent, report.Period)));
        var values = report.Values.Where(v => changedValues.Contains(v.Indicator)).OrderBy(v => v.Indicator, StringComparer.Ordinal).ToList();
        var current = report.CurrentValues().OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        string[] units = counts ? [.. rollupPath!.Distinct()] : [];
        var write = new NpgsqlBatchCommand((created ? InsertReport : UpdateReport) + WriteRest(counts && current.Count > 0));
        var p = write.Parameters;
        p.Add(new() { Value = report.Id, NpgsqlDbType = NpgsqlDbType.Uuid });                                               // $1
        p.Add(new() { Value = report.OrgUnitCode });                                                                        // $2
        p.Add(new() { Value = report.Period });                                                                             // $3
        p.Add(new() { Value = report.CatalogueVersion });                                                                   // $4
        p.Add(new() { Value = report.Status.ToString() });                                                                  // $5
        p.Add(new() { Value = report.Version });                                                                            // $6
        p.Add(new() { Value = JsonSerializer.Serialize(report.Narrative), NpgsqlDbType = NpgsqlDbType.Jsonb });            // $7
        p.Add(new() { Value = report.CreatedAt });                                                                          // $8
        p.Add(new() { Value = report.CreatedBy });                                                                          // $9
        p.Add(new() { Value = report.UpdatedAt });                                                                          // $10
        p.Add(new() { Value = report.UpdatedBy });                                                                          // $11
        p.Add(new() { Value = (object?)report.SubmittedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });      // $12
        p.Add(new() { Value = (object?)report.SubmittedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });            // $13
        p.Add(new() { Value = (object?)report.DueAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });            // $14
        p.Add(new() { Value = (object?)report.OnTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });               // $15
        p.Add(new() { Value = (object?)report.DecidedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });        // $16
        p.Add(new() { Value = (object?)report.DecidedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });              // $17
        p.Add(new() { Value = (object?)report.ReturnReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });           // $18
        p.Add(new() { Value = report.RollupPath.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });        // $19
        p.Add(new() { Value = (object?)report.ReportsToCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });          // $20
        p.Add(new() { Value = report.Consolidated });                                                                       // $21
        p.Add(new() { Value = readVersion });                                                                               // $22
        p.Add(Array(values.Select(v => v.Indicator)));                                                                      // $23
        p.Add(new() { Value = values.Select(v => v.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric }); // $24
        p.Add(Array(report.Changes.Select(c => c.Action)));                                                                 // $25
        p.Add(Array(report.Changes.Select(c => c.Detail)));                                                                 // $26
        p.Add(new() { Value = report.Changes.Select(c => JsonSerializer.Serialize(c.Items, Json)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb }); // $27
        p.Add(Array(report.Changes.Select(c => c.By)));                                                                     // $28
        p.Add(new() { Value = report.Changes.Select(c => c.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz }); // $29
        p.Add(new() { Value = messages.Select(m => m.MessageId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid }); // $30
        p.Add(Array(messages.Select(m => m.MessageType)));                                                                  // $31
        p.Add(new() { Value = messages.Select(m => m.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb }); // $32
        p.Add(Array(messages.Select(m => m.TraceParent)));                                                                  // $33
        p.Add(Array(messages.Select(m => m.CorrelationId)));                                                                // $34
        p.Add(new() { Value = messages.Select(m => m.CreatedAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz }); // $35
        p.Add(Array(units));                                                                                                // $36
        p.Add(Array(current.Select(v => v.Key)));                                                                           // $37
        p.Add(new() { Value = current.Select(v => v.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric }); // $38
        p.Add(new() { Value = current.Select(_ => 1).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer }); // $39
        p.Add(new() { Value = (short)Random.Shared.Next(RollupCells.Shards), NpgsqlDbType = NpgsqlDbType.Smallint });       // $40
        p.Add(new() { Value = (object?)openAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });                          // $41
        batch.BatchCommands.Add(write);
        if (parent is not null) batch.BatchCommands.Add(Command("SELECT closed_at AS parent_closed_at FROM period_closings WHERE org_unit_code = $1 AND period = $2", parent, report.Period));

        var written = 0L;
        DateTimeOffset? parentClosedAt = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                if (reader.FieldCount != 1 || !await reader.ReadAsync(ct)) continue;
                if (reader.GetName(0) == "written") written = reader.GetInt64(0);
                else if (reader.GetName(0) == "parent_closed_at") parentClosedAt = reader.GetFieldValue<DateTimeOffset>(0);
            }
            while (await reader.NextResultAsync(ct));
        }

        return (written, parentClosedAt);
    }

    const string InsertReport = """
        WITH r AS (
            INSERT INTO reports (id, org_unit_code, period, catalogue_version, status, version, narrative, created_at, created_by, updated_at, updated_by,
                                 submitted_at, submitted_by, due_at, on_time, decided_at, decided_by, return_reason, rollup_path, reports_to_code, consolidated)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21
            WHERE NOT EXISTS (SELECT 1 FROM period_closings WHERE org_unit_code = $41 AND period = $3)
            ON CONFLICT (org_unit_code, period) DO NOTHING
            RETURNING id)
        """;

    const string UpdateReport = """
        WITH r AS (
            UPDATE reports SET catalogue_version = $4, status = $5, version = $6, narrative = $7, updated_at = $10, updated_by = $11,
                               submitted_at = $12, submitted_by = $13, due_at = $14, on_time = $15, decided_at = $16, decided_by = $17,
                               return_reason = $18, rollup_path = $19, reports_to_code = $20, consolidated = $21
            WHERE id = $1 AND version = $22 AND NOT EXISTS (SELECT 1 FROM period_closings WHERE org_unit_code = $41 AND period = $3)
            RETURNING id)
        """;

    /// <summary>The parts that follow the report's row, each only if the row was written (the CTEs see <c>r</c>'s result).</summary>
    static string WriteRest(bool rollup) => WriteValuesChangesAndEvents + (rollup ? WriteCells + RollupCells.MergeCells + ")" : "") + "\nSELECT count(*) AS written FROM r";

    const string WriteValuesChangesAndEvents = """

        , v AS (
            INSERT INTO report_values (report_id, indicator, value)
            SELECT $1, i, x FROM unnest($23::text[], $24::numeric[]) AS t(i, x) WHERE EXISTS (SELECT 1 FROM r)
            ON CONFLICT (report_id, indicator) DO UPDATE SET value = excluded.value)
        , ch AS (
            INSERT INTO report_changes (report_id, action, detail, items, "by", at)
            SELECT $1, a, d, it, b, t FROM unnest($25::text[], $26::text[], $27::jsonb[], $28::text[], $29::timestamptz[]) WITH ORDINALITY AS x(a, d, it, b, t, n)
            WHERE EXISTS (SELECT 1 FROM r) ORDER BY n)
        , o AS (
            INSERT INTO outbox_messages (message_id, message_type, body, trace_parent, correlation_id, created_at, next_attempt_at, attempts)
            SELECT m, ty, bo, tp, co, ca, ca, 0 FROM unnest($30::uuid[], $31::text[], $32::jsonb[], $33::text[], $34::text[], $35::timestamptz[]) WITH ORDINALITY AS x(m, ty, bo, tp, co, ca, n)
            WHERE EXISTS (SELECT 1 FROM r) ORDER BY n)
        """;

    /// <summary>The roll-up cells of every unit of the path, in the one lock order every writer follows (see <see cref="RollupCells"/>).</summary>
    const string WriteCells = """

        , cells AS (
            INSERT INTO rollup_cells AS c (period, org_unit_code, shard, indicators, sums, reports)
            SELECT $3, u, $40, $37::text[], $38::numeric[], $39::integer[]
            FROM unnest($36::text[]) AS u WHERE EXISTS (SELECT 1 FROM r)
            ORDER BY u COLLATE "C"
            ON CONFLICT (period, org_unit_code, shard) DO UPDATE SET
        """;

    async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        return connection;
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    static NpgsqlParameter Array(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    static T? Nullable<T>(NpgsqlDataReader reader, int i) where T : struct => reader.IsDBNull(i) ? null : reader.GetFieldValue<T>(i);

    static string? NullableString(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
