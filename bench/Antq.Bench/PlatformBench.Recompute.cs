namespace Antq.Bench;

sealed partial class PlatformBench
{
    // ------------------------------------------------------------------ seeding for recompute and close
    async Task SeedAsync()
    {
        var watch = Stopwatch.StartNew();
        var already = (await Sql.RowsAsync(platform.ConnectionStringOf("reporting"),
            "SELECT org_unit_code, period FROM reports WHERE status IN ('Submitted', 'Accepted')")).Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var work = new List<(string Code, string Period, int Seed)>();
        if (Wanted("recompute") || Wanted("recompute-three-tier")) work.AddRange(threeTier.Select((c, i) => (c.Code, "2024-Y", i)));
        if (Wanted("recompute") || Wanted("recompute-two-tier")) work.AddRange(twoTier.Select((c, i) => (c.Code, "2026-H1", i)));
        // Half of the country has reported for 2026-Y when its deadline passes (the close measurement).
        if (Wanted("close")) work.AddRange(twoTier.Where((_, i) => i % 2 == 0).Select((c, i) => (c.Code, "2026-Y", i)));
        if (work.Count == 0) return;
        work = [.. work.Where(w => !already.Contains((w.Code, w.Period)))];
        var failed = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (w, ct) =>
        {
            if (await client.SubmitAsync(w.Code, w.Period, reports.Body(w.Period, w.Seed), ct: ct) == SubmitOutcome.Failed) Interlocked.Increment(ref failed);
        });
        log($"seeded {work.Count} more submissions ({failed} failed) in {watch.Elapsed.TotalSeconds:F0} s ({work.Count / watch.Elapsed.TotalSeconds:F0}/s, 12 at a time)");
    }

    // ------------------------------------------------------------------ recompute
    async Task RecomputeAsync(string period, int communes, string what)
    {
        var reporting = platform.ConnectionStringOf("reporting");
        var counted = await Sql.ScalarAsync<long>(reporting, $"SELECT count(*) FROM reports WHERE period = '{period}' AND status IN ('Submitted', 'Accepted') AND NOT consolidated");
        var hierarchyDate = period.EndsWith("-Y", StringComparison.Ordinal) ? $"{period[..4]}-12-14" : $"{period[..4]}-06-14";
        var threeTier = string.CompareOrdinal(hierarchyDate, "2025-07-01") < 0;
        string Valid(string alias) => $"{alias}.valid_from <= '{hierarchyDate}' AND ({alias}.valid_to IS NULL OR {alias}.valid_to > '{hierarchyDate}')";
        // The levels above a commune: district (three-tier only), province; the Ministry is the whole.
        string[] levels = threeTier ? ["d", "p"] : ["p"];
        var joins = string.Join("\n", levels.Select((alias, i) =>
            $"JOIN unit_tree_versions {alias} ON {alias}.code = {(i == 0 ? "c" : levels[i - 1])}.parent_code AND {Valid(alias)}"));
        var unit = string.Join(" ", new[] { "c" }.Concat(levels).Select(alias => $"WHEN GROUPING({alias}.code) = 0 THEN {alias}.code"));
        var sets = string.Join(", ", new[] { "c" }.Concat(levels).Select(alias => $"({alias}.code, v.indicator)"));
        // Every cell of the period, as the SQL computes it: one row per unit and indicator.
        var truth = $"""
            SELECT CASE {unit} ELSE 'BCA' END AS unit, v.indicator, sum(v.value) AS sum, count(*) AS reports
            FROM reports r
            JOIN report_values v ON v.report_id = r.id AND v.value IS NOT NULL
            JOIN unit_tree_versions c ON c.code = r.org_unit_code AND {Valid("c")}
            {joins}
            WHERE r.period = '{period}' AND r.status IN ('Submitted', 'Accepted') AND NOT r.consolidated
            GROUP BY GROUPING SETS ({sets}, (v.indicator))
            """;
        // The reference of the repair path: the same GROUP BY, written into a table of one row per cell that already
        // holds every cell, only where a cell differs (and the cells nothing reaches any more deleted).
        var repairSql = $"""
            WITH truth AS MATERIALIZED ({truth}),
            upserted AS (
                INSERT INTO bench_ref_cells AS b (unit, indicator, sum, reports)
                SELECT unit, indicator, sum, reports FROM truth
                ON CONFLICT (unit, indicator) DO UPDATE SET sum = excluded.sum, reports = excluded.reports
                WHERE (b.sum, b.reports) IS DISTINCT FROM (excluded.sum, excluded.reports)
                RETURNING 1),
            removed AS (
                DELETE FROM bench_ref_cells b WHERE NOT EXISTS (SELECT 1 FROM truth t WHERE t.unit = b.unit AND t.indicator = b.indicator)
                RETURNING 1)
            SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM removed)
            """;
        // The product's cells, each the sum of its shards, set against a table of the SQL's cells.
        string Differing(string table) => $"""
            SELECT count(*) FROM {table} b
            FULL JOIN (SELECT c.org_unit_code, e.indicator, sum(e.sum) AS sum, sum(e.reports) AS reports
                       FROM rollup_cells c CROSS JOIN LATERAL unnest(c.indicators, c.sums, c.reports) AS e(indicator, sum, reports)
                       WHERE c.period = '{period}' GROUP BY 1, 2) c
              ON c.org_unit_code = b.unit AND c.indicator = b.indicator
            WHERE b.unit IS NULL OR c.org_unit_code IS NULL OR b.sum <> c.sum OR b.reports <> c.reports
            """;

        // The state a real recompute meets, set up once: the cells as the live submissions left them (every cell
        // present, in the shards the increments chose), made exact by one recompute of ours (not timed), kept aside;
        // the SQL's cells beside them; and a tenth of the cells, chosen by a fixed hash, to be made wrong.
        await Sql.ExecuteAsync(reporting, "DROP TABLE IF EXISTS bench_cells, bench_live_cells, bench_truth, bench_wrong, bench_ref_cells");
        await api.PostAsync($"api/rollups/{period}/recompute");
        await Sql.ExecuteAsync(reporting, $"""
            CREATE TABLE bench_live_cells AS SELECT period, org_unit_code, shard, indicators, sums, reports FROM rollup_cells WHERE period = '{period}';
            CREATE TABLE bench_truth AS {truth};
            ALTER TABLE bench_truth ADD PRIMARY KEY (unit, indicator);
            CREATE TABLE bench_wrong AS SELECT unit, indicator FROM bench_truth ORDER BY md5(unit || '/' || indicator)
                LIMIT (SELECT count(*) / 10 FROM bench_truth);
            ALTER TABLE bench_wrong ADD PRIMARY KEY (unit, indicator);
            CREATE TABLE bench_ref_cells (unit text NOT NULL, indicator text NOT NULL, sum numeric, reports bigint NOT NULL, PRIMARY KEY (unit, indicator));
            """);
        var liveDiffering = await ScalarAsync(reporting, Differing("bench_truth"));
        var madeWrong = await ScalarAsync(reporting, "SELECT count(*) FROM bench_wrong");
        var unitsWithWrong = await ScalarAsync(reporting, "SELECT count(DISTINCT unit) FROM bench_wrong");
        var allUnits = await ScalarAsync(reporting, "SELECT count(DISTINCT unit) FROM bench_truth");
        var liveRows = await ScalarAsync(reporting, "SELECT count(*) FROM bench_live_cells");
        if (liveDiffering != 0) log($"recompute {period}: {liveDiffering} cells still differ from the SQL after a recompute; the repair rounds start from them as they are");

        var emptyOurs = new List<double>();
        var emptyServerMs = new List<double>();
        var emptyReference = new List<double>();
        var repairOurs = new List<double>();
        var repairServerMs = new List<double>();
        var repairReference = new List<double>();
        long cells = 0, referenceRewritten = 0, repairDiffering = 0, referenceRepairDiffering = 0;
        StatementProfile.StatementRow[] emptyStatements = [];
        // Each round: ours from empty, the SQL from empty, ours repairing, the SQL repairing, so that a slow minute of
        // the shared machine falls on every one of them; the first round warms up and is not counted. Each one's
        // set-up is not timed and ends with VACUUM ANALYZE of the table it changed, so no side meets dead rows of the
        // set-up that the other does not.
        for (var round = 0; round <= sizes.RecomputeRounds; round++)
        {
            var timed = round > 0;

            // From nothing: the period's cells are deleted first, so the rebuild writes every one.
            await Sql.ExecuteAsync(reporting, $"DELETE FROM rollup_cells WHERE period = '{period}'");
            await Sql.ExecuteAsync(reporting, "VACUUM ANALYZE rollup_cells");
            // The last round's rebuild also says where PostgreSQL's part of it goes, statement by statement.
            var lastRound = round == sizes.RecomputeRounds;
            var statementsProfiled = lastRound && await StatementProfile.ResetAsync();
            var (ms, response) = await TimedRecomputeAsync(period);
            if (statementsProfiled) emptyStatements = await StatementProfile.TopAsync(StatementProfile.DatabasesOf(platform, "reporting"), 1, top: 6);
            cells = response.GetProperty("cells").GetInt32();
            if (timed) { emptyOurs.Add(ms); emptyServerMs.Add(response.GetProperty("elapsedMs").GetDouble()); }

            await Sql.ExecuteAsync(reporting, "DROP TABLE IF EXISTS bench_cells");
            var (sqlMs, _) = await TimedSqlAsync(reporting, $"CREATE TABLE bench_cells AS {truth}");
            if (timed) emptyReference.Add(sqlMs);

            // Repair: every cell present, in the shards live submissions left them in, a tenth of them wrong.
            await Sql.ExecuteAsync(reporting, $"""
                DELETE FROM rollup_cells WHERE period = '{period}';
                INSERT INTO rollup_cells (period, org_unit_code, shard, indicators, sums, reports)
                SELECT s.period, s.org_unit_code, s.shard, s.indicators,
                       (SELECT array_agg(CASE WHEN w.unit IS NULL THEN e.sum ELSE e.sum + 1 END ORDER BY e.n)
                        FROM unnest(s.indicators, s.sums) WITH ORDINALITY AS e(indicator, sum, n)
                        LEFT JOIN bench_wrong w ON w.unit = s.org_unit_code AND w.indicator = e.indicator),
                       s.reports
                FROM bench_live_cells s
                ORDER BY s.org_unit_code COLLATE "C", s.shard;
                """);
            await Sql.ExecuteAsync(reporting, "VACUUM ANALYZE rollup_cells");
            (ms, response) = await TimedRecomputeAsync(period);
            if (timed) { repairOurs.Add(ms); repairServerMs.Add(response.GetProperty("elapsedMs").GetDouble()); }
            repairDiffering = Math.Max(repairDiffering, await ScalarAsync(reporting, Differing("bench_truth")));

            await Sql.ExecuteAsync(reporting, """
                TRUNCATE bench_ref_cells;
                INSERT INTO bench_ref_cells (unit, indicator, sum, reports)
                SELECT t.unit, t.indicator, CASE WHEN w.unit IS NULL THEN t.sum ELSE t.sum + 1 END, t.reports
                FROM bench_truth t LEFT JOIN bench_wrong w ON w.unit = t.unit AND w.indicator = t.indicator
                ORDER BY t.unit, t.indicator;
                """);
            await Sql.ExecuteAsync(reporting, "VACUUM ANALYZE bench_ref_cells");
            (sqlMs, referenceRewritten) = await TimedSqlAsync(reporting, repairSql);
            if (timed) repairReference.Add(sqlMs);
            referenceRepairDiffering = Math.Max(referenceRepairDiffering, await ScalarAsync(reporting, """
                SELECT count(*) FROM bench_truth t FULL JOIN bench_ref_cells b ON b.unit = t.unit AND b.indicator = t.indicator
                WHERE t.unit IS NULL OR b.unit IS NULL OR t.sum <> b.sum OR t.reports <> b.reports
                """));
        }

        // Everything right already: what a recompute costs when it finds nothing to repair.
        var (warmMs, _) = await TimedRecomputeAsync(period);

        var referenceCells = await ScalarAsync(reporting, "SELECT count(*) FROM bench_cells");
        // The two must agree cell by cell, or the comparison means nothing.
        var differing = await ScalarAsync(reporting, Differing("bench_cells"));
        await Sql.ExecuteAsync(reporting, "DROP TABLE IF EXISTS bench_cells, bench_live_cells, bench_truth, bench_wrong, bench_ref_cells");
        var median = Median(emptyOurs);
        var referenceMedian = Median(emptyReference);
        var repairMedian = Median(repairOurs);
        var repairReferenceMedian = Median(repairReference);
        static string Ms(IEnumerable<double> values) => string.Join(", ", values.Select(o => o.ToString("F0", CultureInfo.InvariantCulture)));
        log($"recompute {period} from empty: {Ms(emptyOurs)} ms (server {Ms(emptyServerMs)}); SQL {Ms(emptyReference)} ms; {counted} reports, {cells} cells vs {referenceCells}, {differing} differ");
        foreach (var row in emptyStatements) log($"  pg, from empty: {row.calls_per_op} calls, {row.exec_ms_per_op} ms, {row.rows_per_op} rows: {row.query}");
        log($"recompute {period} repair ({madeWrong} of {referenceCells} cells wrong, in {unitsWithWrong} of {allUnits} units): {Ms(repairOurs)} ms (server {Ms(repairServerMs)}); SQL {Ms(repairReference)} ms, {referenceRewritten} cells rewritten; afterwards {repairDiffering} differ (ours), {referenceRepairDiffering} (SQL); nothing to repair {warmMs:F0} ms");
        emit(new
        {
            name = "recompute",
            ours = Math.Round(median / 1000, 3),
            reference = Math.Round(referenceMedian / 1000, 3),
            ratio = Math.Round(median / referenceMedian, 2),
            p50_ms = Math.Round(median, 1),
            max_ms = Math.Round(emptyOurs.Max(), 1),
            seconds = Math.Round(median / 1000, 3),
            units = $"seconds, median of {emptyOurs.Count}: POST /api/rollups/{period}/recompute through the gateway, whole country {what}: {counted} submitted reports of {communes} communes, {cells} cells; two paths, taking turns round by round: from empty (every cell of the period deleted first; reference: one SQL GROUP BY GROUPING SETS into a new table) and repair (every cell present as live submissions left them, a tenth of them wrong; reference: the same GROUP BY upserted into a table of one row per cell, only where a cell differs, with work_mem as the service sets it); ratio = ours / SQL (lower is better); ours/reference/ratio/p50 are the from-empty path, repair_* the repair path",
            cells_differing_from_sql = differing,
            server_elapsed_ms_median = Median(emptyServerMs),
            pg_statements_from_empty = emptyStatements,
            nothing_to_repair_ms = Math.Round(warmMs, 1),
            repair_ours = Math.Round(repairMedian / 1000, 3),
            repair_reference = Math.Round(repairReferenceMedian / 1000, 3),
            repair_ratio = Math.Round(repairMedian / repairReferenceMedian, 2),
            repair_p50_ms = Math.Round(repairMedian, 1),
            repair_max_ms = Math.Round(repairOurs.Max(), 1),
            repair_server_elapsed_ms_median = Median(repairServerMs),
            repair_cells_made_wrong = madeWrong,
            repair_units_with_a_wrong_cell = unitsWithWrong,
            repair_units = allUnits,
            repair_stored_rows = liveRows,
            repair_reference_cells_rewritten = referenceRewritten,
            repair_cells_differing_from_sql = repairDiffering,
            repair_reference_cells_differing = referenceRepairDiffering,
            repair_setup_cells_differing_from_sql = liveDiffering,
        });
    }

    async Task<(double Ms, JsonElement Response)> TimedRecomputeAsync(string period)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await api.PostAsync($"api/rollups/{period}/recompute");
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, response);
    }

    /// <summary>
    /// One statement of a reference, timed from sending it to its answer, on a connection opened beforehand with the
    /// work_mem the service's recompute sets for itself (64 MB): the reference gets the same memory for its sorts.
    /// </summary>
    static async Task<(double Ms, long Result)> TimedSqlAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using (var set = new Npgsql.NpgsqlCommand("SET work_mem = '64MB'", connection)) await set.ExecuteNonQueryAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        var started = Stopwatch.GetTimestamp();
        var result = await command.ExecuteScalarAsync();
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, result is long n ? n : 0);
    }

    static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
