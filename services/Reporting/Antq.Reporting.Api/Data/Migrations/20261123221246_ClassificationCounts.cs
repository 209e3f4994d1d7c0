using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Reporting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClassificationCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "classification_counts",
                columns: table => new
                {
                    org_unit_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    period = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_classification_counts", x => new { x.org_unit_code, x.period });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "classification_counts");
        }
    }
}
