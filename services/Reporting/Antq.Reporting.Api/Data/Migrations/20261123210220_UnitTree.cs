using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class UnitTree : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "unit_tree_versions");
        }
    }
}
