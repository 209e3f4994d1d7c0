using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Notification.Api.Data.Configurations;

sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public const string Table = "notices";

    public void Configure(EntityTypeBuilder<Notice> notice)
    {
        notice.ToTable(Table);
        notice.HasKey(n => n.Id);
        notice.Property(n => n.Id).ValueGeneratedNever();
        // PostgreSQL's row version: a consumer that cancels a notice the dispatcher has just sent fails and retries,
        // instead of overwriting "sent" with "cancelled".
        notice.Property<uint>("xmin").HasColumnName("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
        notice.Property(n => n.Kind).HasMaxLength(20);
        notice.Property(n => n.OrgUnitCode).HasMaxLength(50);
        notice.Property(n => n.Period).HasMaxLength(10);
        notice.Property(n => n.Slot).HasMaxLength(100);
        notice.Property(n => n.AudienceUnitCode).HasMaxLength(50);
        notice.Property(n => n.Status).HasMaxLength(20);
        notice.Property(n => n.CancelReason).HasMaxLength(50);
        notice.Property(n => n.Reason).HasMaxLength(4000);
        notice.Property(n => n.Title).HasMaxLength(500);
        notice.Property(n => n.Body).HasMaxLength(8000);
        // The dispatcher only looks at pending notices by due time.
        notice.HasIndex(n => n.DueAt).HasFilter("status = 'pending'").HasDatabaseName("ix_notices_pending_due");
        // A slot of a schedule is pending at most once.
        notice.HasIndex(n => new { n.OrgUnitCode, n.Period, n.Slot }).IsUnique().HasFilter("status = 'pending'")
            .HasDatabaseName("ux_notices_pending_slot");
        notice.HasIndex(n => new { n.OrgUnitCode, n.Period });
    }
}

sealed class UnitScheduleConfiguration : IEntityTypeConfiguration<UnitSchedule>
{
    public const string Table = "unit_schedules";

    public void Configure(EntityTypeBuilder<UnitSchedule> schedule)
    {
        schedule.ToTable(Table);
        schedule.HasKey(s => new { s.OrgUnitCode, s.Period });
        schedule.Property(s => s.OrgUnitCode).HasMaxLength(50);
        schedule.Property(s => s.Period).HasMaxLength(10);
        schedule.Property(s => s.ReportsToCode).HasMaxLength(50);
        schedule.Property(s => s.PolicyFingerprint).HasMaxLength(1000);
        schedule.Property(s => s.ReportStatus).HasMaxLength(20);
    }
}

sealed class InboxItemConfiguration : IEntityTypeConfiguration<InboxItem>
{
    public void Configure(EntityTypeBuilder<InboxItem> item)
    {
        item.ToTable("inbox_items");
        item.HasKey(i => i.Id);
        item.Property(i => i.Id).ValueGeneratedNever();
        item.HasOne(i => i.Notice).WithMany().HasForeignKey(i => i.NoticeId);
        item.HasIndex(i => new { i.NoticeId, i.UserId }).IsUnique();
        item.HasIndex(i => new { i.UserId, i.CreatedAt });
    }
}

sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public const string Table = "deliveries";

    public void Configure(EntityTypeBuilder<Delivery> delivery)
    {
        delivery.ToTable(Table);
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Id).UseIdentityAlwaysColumn();
        delivery.Property(d => d.Channel).HasMaxLength(20);
        delivery.Property(d => d.Recipient).HasMaxLength(2000);
        delivery.Property(d => d.OrgUnitCode).HasMaxLength(50);
        delivery.Property(d => d.IdempotencyKey).HasMaxLength(2100);
        delivery.Property(d => d.Status).HasMaxLength(20);
        delivery.Property(d => d.LastError).HasMaxLength(2000);
        delivery.HasIndex(d => d.IdempotencyKey).IsUnique();
        delivery.HasIndex(d => d.NextAttemptAt).HasFilter("status IN ('pending', 'sending')").HasDatabaseName("ix_deliveries_due");
        delivery.HasIndex(d => d.NoticeId);
    }
}

sealed class ContactPointConfiguration : IEntityTypeConfiguration<ContactPoint>
{
    public void Configure(EntityTypeBuilder<ContactPoint> contact)
    {
        contact.ToTable("contact_points");
        contact.HasKey(c => c.OrgUnitCode);
        contact.Property(c => c.OrgUnitCode).HasMaxLength(50);
        contact.Property(c => c.WebhookUrl).HasMaxLength(2000);
        // Column of old: it held the secret in plain text, now the protected payload (about 2.5 times the secret's length).
        contact.Property(c => c.ProtectedWebhookSecret).HasColumnName("webhook_secret").HasMaxLength(1000);
        contact.Property(c => c.UpdatedBy).HasMaxLength(100);
        contact.Property(c => c.DigestWindow).HasColumnType("interval");
    }
}
