using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Closings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "consolidated",
                table: "reports",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "period_closings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    hierarchy_date = table.Column<DateOnly>(type: "date", nullable: false),
                    catalogue_version = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    expected = table.Column<int>(type: "integer", nullable: false),
                    on_time = table.Column<int>(type: "integer", nullable: false),
                    late = table.Column<int>(type: "integer", nullable: false),
                    missing = table.Column<int>(type: "integer", nullable: false),
                    missing_codes = table.Column<List<string>>(type: "text[]", nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_period_closings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "plan_targets",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    indicator = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    plan_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    issuer_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    comparator = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    value = table.Column<decimal>(type: "numeric", nullable: false),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    superseded = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_targets", x => new { x.plan_id, x.indicator });
                });

            migrationBuilder.CreateTable(
                name: "period_closing_children",
                columns: table => new
                {
                    closing_id = table.Column<Guid>(type: "uuid", nullable: false),
                    child_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    child_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    standing = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    report_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    frozen = table.Column<bool>(type: "boolean", nullable: false),
                    narrative = table.Column<string>(type: "jsonb", nullable: true),
                    reopened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reopened_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reopen_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_period_closing_children", x => new { x.closing_id, x.child_code });
                    table.ForeignKey(
                        name: "fk_period_closing_children_period_closings_closing_id",
                        column: x => x.closing_id,
                        principalTable: "period_closings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_period_closing_children_child_code",
                table: "period_closing_children",
                column: "child_code");

            migrationBuilder.CreateIndex(
                name: "ux_period_closings_unit_period",
                table: "period_closings",
                columns: new[] { "org_unit_code", "period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plan_targets_issuer_code_year",
                table: "plan_targets",
                columns: new[] { "issuer_code", "year" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "period_closing_children");

            migrationBuilder.DropTable(
                name: "plan_targets");

            migrationBuilder.DropTable(
                name: "period_closings");

            migrationBuilder.DropColumn(
                name: "consolidated",
                table: "reports");
        }
    }
}
