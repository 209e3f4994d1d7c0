using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Plan.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrgUnits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "org_unit_change_seq");

            migrationBuilder.CreateTable(
                name: "org_units",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    normalized_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    commune_kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    parent_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: true),
                    change_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_org_units", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "org_unit_predecessors",
                columns: table => new
                {
                    successor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    predecessor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    partial = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_org_unit_predecessors", x => new { x.successor_id, x.predecessor_id });
                    table.ForeignKey(
                        name: "fk_org_unit_predecessors_org_units_predecessor_id",
                        column: x => x.predecessor_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_org_unit_predecessors_org_units_successor_id",
                        column: x => x.successor_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_org_unit_predecessors_predecessor_id",
                table: "org_unit_predecessors",
                column: "predecessor_id");

            migrationBuilder.CreateIndex(
                name: "ix_org_units_change_sequence",
                table: "org_units",
                column: "change_sequence");

            migrationBuilder.CreateIndex(
                name: "ix_org_units_code_valid_from",
                table: "org_units",
                columns: new[] { "code", "valid_from" });

            migrationBuilder.CreateIndex(
                name: "ix_org_units_parent_code_valid_from",
                table: "org_units",
                columns: new[] { "parent_code", "valid_from" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "org_unit_predecessors");

            migrationBuilder.DropTable(
                name: "org_units");

            migrationBuilder.DropSequence(
                name: "org_unit_change_seq");
        }
    }
}
