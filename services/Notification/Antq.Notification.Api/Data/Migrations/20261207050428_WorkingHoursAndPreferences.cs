using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Notification.Api.Data.Migrations
{
    /// <summary>
    /// Notices at working hours: a plan's own reminder hour, an inbox item held for its reader's own hours (null: shown
    /// at once, as every existing one is), and each account's notification preferences.
    /// </summary>
    public partial class WorkingHoursAndPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "remind_at",
                table: "plan_reminder_policies",
                type: "character varying(5)",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "visible_at",
                table: "inbox_items",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "account_preferences",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    in_app = table.Column<bool>(type: "boolean", nullable: false),
                    email = table.Column<bool>(type: "boolean", nullable: false),
                    quiet_hours = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true),
                    remind_at = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    digest_window = table.Column<TimeSpan>(type: "interval", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_preferences", x => x.user_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_preferences");

            migrationBuilder.DropColumn(
                name: "remind_at",
                table: "plan_reminder_policies");

            migrationBuilder.DropColumn(
                name: "visible_at",
                table: "inbox_items");
        }
    }
}
