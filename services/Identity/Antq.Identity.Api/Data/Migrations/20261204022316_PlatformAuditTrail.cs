using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Identity.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlatformAuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "action",
                table: "audit_entries",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(30)",
                oldMaxLength: 30);

            migrationBuilder.AddColumn<string>(
                name: "service",
                table: "audit_entries",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "identity");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_action_at",
                table: "audit_entries",
                columns: new[] { "action", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_service_at",
                table: "audit_entries",
                columns: new[] { "service", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_action_at",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_service_at",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "service",
                table: "audit_entries");

            migrationBuilder.AlterColumn<string>(
                name: "action",
                table: "audit_entries",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(60)",
                oldMaxLength: 60);
        }
    }
}
