using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Antq.Classification.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "annual_reports",
                columns: table => new
                {
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    report_id = table.Column<Guid>(type: "uuid", nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    accepted_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annual_reports", x => new { x.org_unit_code, x.year });
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    correlation_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "plan_targets",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    index = table.Column<int>(type: "integer", nullable: false),
                    plan_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    issuer_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    indicator = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    comparator = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    value = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_targets", x => new { x.plan_id, x.index });
                });

            migrationBuilder.CreateTable(
                name: "published_counts",
                columns: table => new
                {
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    values = table.Column<string>(type: "jsonb", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_published_counts", x => new { x.org_unit_code, x.year });
                });

            migrationBuilder.CreateTable(
                name: "safe_standards",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    subject_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    standard = table.Column<string>(type: "jsonb", nullable: false),
                    published_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_safe_standards", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "score_sheets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    subject_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    sheet = table.Column<string>(type: "jsonb", nullable: false),
                    published_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_score_sheets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "target_attainments",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    index = table.Column<int>(type: "integer", nullable: false),
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    achieved = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    attained = table.Column<bool>(type: "boolean", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_target_attainments", x => new { x.plan_id, x.index, x.org_unit_code });
                });

            migrationBuilder.CreateTable(
                name: "unit_tree_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    commune_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    parent_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: true),
                    change_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_tree_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "safe_results",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    subject_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    parent_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    safe_standard_id = table.Column<Guid>(type: "uuid", nullable: false),
                    safe_standard_version = table.Column<int>(type: "integer", nullable: false),
                    registered_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    marks = table.Column<string>(type: "jsonb", nullable: false),
                    recognised = table.Column<bool>(type: "boolean", nullable: true),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_safe_results", x => x.id);
                    table.ForeignKey(
                        name: "fk_safe_results_safe_standards_safe_standard_id",
                        column: x => x.safe_standard_id,
                        principalTable: "safe_standards",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "evaluations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    org_unit_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    subject_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    parent_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    score_sheet_id = table.Column<Guid>(type: "uuid", nullable: false),
                    score_sheet_version = table.Column<int>(type: "integer", nullable: false),
                    self_scores = table.Column<string>(type: "jsonb", nullable: false),
                    approved_scores = table.Column<string>(type: "jsonb", nullable: false),
                    disqualifier_marks = table.Column<string>(type: "jsonb", nullable: false),
                    computed_scores = table.Column<string>(type: "jsonb", nullable: false),
                    self_total = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: false),
                    approved_total = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: true),
                    @class = table.Column<string>(name: "class", type: "character varying(20)", maxLength: 20, nullable: true),
                    self_scored_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    self_scored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    approved_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    class_decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    class_decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluations", x => x.id);
                    table.ForeignKey(
                        name: "fk_evaluations_score_sheets_score_sheet_id",
                        column: x => x.score_sheet_id,
                        principalTable: "score_sheets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_org_unit_code_year",
                table: "evaluations",
                columns: new[] { "org_unit_code", "year" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_parent_code_year",
                table: "evaluations",
                columns: new[] { "parent_code", "year" });

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_score_sheet_id",
                table: "evaluations",
                column: "score_sheet_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_processed_at",
                table: "inbox_messages",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                table: "outbox_messages",
                columns: new[] { "next_attempt_at", "id" },
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_plan_targets_issuer_code_year",
                table: "plan_targets",
                columns: new[] { "issuer_code", "year" });

            migrationBuilder.CreateIndex(
                name: "ix_safe_results_org_unit_code_year",
                table: "safe_results",
                columns: new[] { "org_unit_code", "year" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_safe_results_parent_code_year",
                table: "safe_results",
                columns: new[] { "parent_code", "year" });

            migrationBuilder.CreateIndex(
                name: "ix_safe_results_safe_standard_id",
                table: "safe_results",
                column: "safe_standard_id");

            migrationBuilder.CreateIndex(
                name: "ix_safe_standards_year_subject_kind_version",
                table: "safe_standards",
                columns: new[] { "year", "subject_kind", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_score_sheets_year_subject_kind_version",
                table: "score_sheets",
                columns: new[] { "year", "subject_kind", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_unit_tree_versions_change_sequence",
                table: "unit_tree_versions",
                column: "change_sequence");

            migrationBuilder.CreateIndex(
                name: "ix_unit_tree_versions_code_valid_from",
                table: "unit_tree_versions",
                columns: new[] { "code", "valid_from" });

            migrationBuilder.CreateIndex(
                name: "ix_unit_tree_versions_parent_code_valid_from",
                table: "unit_tree_versions",
                columns: new[] { "parent_code", "valid_from" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "annual_reports");

            migrationBuilder.DropTable(
                name: "evaluations");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "plan_targets");

            migrationBuilder.DropTable(
                name: "published_counts");

            migrationBuilder.DropTable(
                name: "safe_results");

            migrationBuilder.DropTable(
                name: "target_attainments");

            migrationBuilder.DropTable(
                name: "unit_tree_versions");

            migrationBuilder.DropTable(
                name: "score_sheets");

            migrationBuilder.DropTable(
                name: "safe_standards");
        }
    }
}
