using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Antq.Plan.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanReminderHour : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<TimeOnly>(
                name: "remind_at",
                table: "plans",
                type: "time without time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "remind_at",
                table: "plans");
        }
    }
}
