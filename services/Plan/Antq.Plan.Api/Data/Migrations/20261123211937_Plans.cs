using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Plan.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Plans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "deadline_change_seq");

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    issuer_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    parent_plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    supersedes_id = table.Column<Guid>(type: "uuid", nullable: true),
                    superseded_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reminder_offsets = table.Column<List<TimeSpan>>(type: "interval[]", nullable: false),
                    overdue_repeat = table.Column<TimeSpan>(type: "interval", nullable: false),
                    escalate_after = table.Column<TimeSpan>(type: "interval", nullable: false),
                    implementing_plans_due_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    issued_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    targets = table.Column<string>(type: "jsonb", nullable: false),
                    tasks = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "unit_deadlines",
                columns: table => new
                {
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    reports_to_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                    derived = table.Column<bool>(type: "boolean", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_deadlines", x => new { x.org_unit_code, x.period });
                });

            migrationBuilder.CreateTable(
                name: "plan_deadlines",
                columns: table => new
                {
                    period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_deadlines", x => new { x.plan_id, x.period });
                    table.ForeignKey(
                        name: "fk_plan_deadlines_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plans_issuer_code_year_status",
                table: "plans",
                columns: new[] { "issuer_code", "year", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_plans_parent_plan_id",
                table: "plans",
                column: "parent_plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plans_supersedes_id",
                table: "plans",
                column: "supersedes_id");

            migrationBuilder.CreateIndex(
                name: "ix_plans_year_status",
                table: "plans",
                columns: new[] { "year", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_unit_deadlines_period_plan_id",
                table: "unit_deadlines",
                columns: new[] { "period", "plan_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_deadlines");

            migrationBuilder.DropTable(
                name: "unit_deadlines");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropSequence(
                name: "deadline_change_seq");
        }
    }
}
