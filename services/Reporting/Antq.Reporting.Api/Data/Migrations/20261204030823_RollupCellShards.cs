using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class RollupCellShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_rollup_cells",
                table: "rollup_cells");

            migrationBuilder.DropIndex(
                name: "ix_rollup_cells_period",
                table: "rollup_cells");

            migrationBuilder.AddColumn<short>(
                name: "shard",
                table: "rollup_cells",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddPrimaryKey(
                name: "pk_rollup_cells",
                table: "rollup_cells",
                columns: new[] { "period", "org_unit_code", "indicator", "shard" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One row per cell again: the shards summed into shard 0.
            migrationBuilder.Sql("""
                WITH s AS (DELETE FROM rollup_cells WHERE shard <> 0 RETURNING period, org_unit_code, indicator, sum, reports)
                INSERT INTO rollup_cells AS c (period, org_unit_code, indicator, shard, sum, reports)
                SELECT period, org_unit_code, indicator, 0, sum(sum), sum(reports) FROM s GROUP BY period, org_unit_code, indicator
                ON CONFLICT (period, org_unit_code, indicator, shard) DO UPDATE SET sum = c.sum + excluded.sum, reports = c.reports + excluded.reports
                """);

            migrationBuilder.DropPrimaryKey(
                name: "pk_rollup_cells",
                table: "rollup_cells");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "rollup_cells");

            migrationBuilder.AddPrimaryKey(
                name: "pk_rollup_cells",
                table: "rollup_cells",
                columns: new[] { "org_unit_code", "period", "indicator" });

            migrationBuilder.CreateIndex(
                name: "ix_rollup_cells_period",
                table: "rollup_cells",
                column: "period");
        }
    }
}
