using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Notification.Api.Data.Configurations;

sealed class DueReportConfiguration : IEntityTypeConfiguration<DueReport>
{
    public void Configure(EntityTypeBuilder<DueReport> due)
    {
        due.ToTable("due_reports");
        due.HasKey(d => new { d.OrgUnitCode, d.Period });
        due.Property(d => d.OrgUnitCode).HasMaxLength(50);
        due.Property(d => d.Period).HasMaxLength(10);
        due.Property(d => d.ReportsToCode).HasMaxLength(50);
        due.HasIndex(d => d.DueAt);
        due.HasIndex(d => d.PlanId);
    }
}

sealed class PlanReminderSettingsConfiguration : IEntityTypeConfiguration<PlanReminderSettings>
{
    public void Configure(EntityTypeBuilder<PlanReminderSettings> policy)
    {
        policy.ToTable("plan_reminder_policies");
        policy.HasKey(p => p.PlanId);
        policy.Property(p => p.PlanId).ValueGeneratedNever();
        policy.Property(p => p.IssuerCode).HasMaxLength(50);
        policy.Property(p => p.Number).HasMaxLength(100);
        policy.Property(p => p.OverdueRepeat).HasMaxLength(30);
        policy.Property(p => p.EscalateAfter).HasMaxLength(30);
        policy.Property(p => p.RemindAt).HasMaxLength(5);
    }
}
