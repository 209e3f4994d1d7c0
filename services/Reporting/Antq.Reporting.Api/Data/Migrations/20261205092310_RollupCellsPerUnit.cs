using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <summary>
    /// Roll-up cells stored as one row per unit and shard, every indicator's cell in arrays, instead of one row per
    /// indicator: the cells already stored are carried over, each unit's shard gathering its indicators in ordinal order.
    /// </summary>
    public partial class RollupCellsPerUnit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameTable(name: "rollup_cells", newName: "rollup_cells_by_indicator");
            migrationBuilder.Sql("ALTER TABLE rollup_cells_by_indicator RENAME CONSTRAINT pk_rollup_cells TO pk_rollup_cells_by_indicator");
            migrationBuilder.CreateTable(
                name: "rollup_cells",
                columns: table => new
                {
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    shard = table.Column<short>(type: "smallint", nullable: false),
                    indicators = table.Column<string[]>(type: "text[]", nullable: false),
                    sums = table.Column<decimal[]>(type: "numeric[]", nullable: false),
                    reports = table.Column<int[]>(type: "integer[]", nullable: false),
                },
                constraints: table => table.PrimaryKey("pk_rollup_cells", x => new { x.period, x.org_unit_code, x.shard }));
            migrationBuilder.Sql("""
                INSERT INTO rollup_cells (period, org_unit_code, shard, indicators, sums, reports)
                SELECT period, org_unit_code, shard, array_agg(indicator::text ORDER BY indicator COLLATE "C"),
                       array_agg(sum ORDER BY indicator COLLATE "C"), array_agg(reports ORDER BY indicator COLLATE "C")
                FROM rollup_cells_by_indicator
                GROUP BY period, org_unit_code, shard
                """);
            migrationBuilder.DropTable(name: "rollup_cells_by_indicator");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameTable(name: "rollup_cells", newName: "rollup_cells_per_unit");
            migrationBuilder.Sql("ALTER TABLE rollup_cells_per_unit RENAME CONSTRAINT pk_rollup_cells TO pk_rollup_cells_per_unit");
            migrationBuilder.CreateTable(
                name: "rollup_cells",
                columns: table => new
                {
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    indicator = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    shard = table.Column<short>(type: "smallint", nullable: false),
                    sum = table.Column<decimal>(type: "numeric", nullable: false),
                    reports = table.Column<int>(type: "integer", nullable: false),
                },
                constraints: table => table.PrimaryKey("pk_rollup_cells", x => new { x.period, x.org_unit_code, x.indicator, x.shard }));
            migrationBuilder.Sql("""
                INSERT INTO rollup_cells (period, org_unit_code, indicator, shard, sum, reports)
                SELECT c.period, c.org_unit_code, e.indicator, c.shard, e.sum, e.reports
                FROM rollup_cells_per_unit c CROSS JOIN LATERAL unnest(c.indicators, c.sums, c.reports) AS e(indicator, sum, reports)
                """);
            migrationBuilder.DropTable(name: "rollup_cells_per_unit");
        }
    }
}
