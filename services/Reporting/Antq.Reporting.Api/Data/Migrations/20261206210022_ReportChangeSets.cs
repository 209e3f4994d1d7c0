using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportChangeSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "report_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    detail = table.Column<string>(type: "text", nullable: true),
                    items = table.Column<string>(type: "jsonb", nullable: false),
                    by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_changes_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_report_changes_report_id_id",
                table: "report_changes",
                columns: new[] { "report_id", "id" });

            // The history written so far, one row per line, becomes one change set per save (the values and narrative
            // sections one person changed at one instant, in the order they were written) and one per lifecycle step,
            // in the order of the lines they come from: the history reads the same before and after.
            migrationBuilder.Sql("""
                INSERT INTO report_changes (report_id, action, detail, items, "by", at)
                SELECT report_id, action, detail, items, "by", at FROM (
                    SELECT report_id, 'saved' AS action, NULL AS detail, "by", at, min(id) AS first,
                           jsonb_agg(jsonb_build_object('kind', action, 'field', field, 'old', old_value, 'new', new_value) ORDER BY id) AS items
                    FROM report_events WHERE action IN ('value', 'narrative')
                    GROUP BY report_id, "by", at
                    UNION ALL
                    SELECT report_id, action, new_value, "by", at, id, '[]'::jsonb
                    FROM report_events WHERE action NOT IN ('value', 'narrative')
                ) AS lines
                ORDER BY first
                """);
            migrationBuilder.DropTable(
                name: "report_events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.CreateTable(
                name: "report_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    field = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    new_value = table.Column<string>(type: "text", nullable: true),
                    old_value = table.Column<string>(type: "text", nullable: true),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_report_events_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_report_events_report_id_id",
                table: "report_events",
                columns: new[] { "report_id", "id" });

            migrationBuilder.Sql("""
                INSERT INTO report_events (report_id, action, field, old_value, new_value, "by", at)
                SELECT report_id, action, field, old_value, new_value, "by", at FROM (
                    SELECT c.id, e.n, c.report_id, e.i->>'kind' AS action, e.i->>'field' AS field, e.i->>'old' AS old_value, e.i->>'new' AS new_value, c."by", c.at
                    FROM report_changes c CROSS JOIN LATERAL jsonb_array_elements(c.items) WITH ORDINALITY AS e(i, n)
                    WHERE c.action = 'saved'
                    UNION ALL
                    SELECT c.id, 0, c.report_id, c.action, NULL, NULL, c.detail, c."by", c.at FROM report_changes c WHERE c.action <> 'saved'
                ) AS lines
                ORDER BY id, n
                """);
            migrationBuilder.DropTable(
                name: "report_changes");
        }
    }
}
