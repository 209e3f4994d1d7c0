using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Lineage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "unit_lineage",
                columns: table => new
                {
                    successor_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    successor_valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    predecessor_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    partial = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_lineage", x => new { x.successor_code, x.successor_valid_from, x.predecessor_code });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "unit_lineage");
        }
    }
}
