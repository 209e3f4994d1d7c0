using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> report)
    {
        report.ToTable("reports");
        report.HasKey(r => r.Id);
        report.Property(r => r.Id).ValueGeneratedNever();
        report.Property(r => r.OrgUnitCode).HasMaxLength(50);
        report.Property(r => r.Period).HasMaxLength(10);
        report.Property(r => r.CatalogueVersion).HasMaxLength(50);
        report.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        // The ETag: an update whose version no longer matches fails instead of overwriting someone else's change.
        report.Property(r => r.Version).IsConcurrencyToken();
        report.Property(r => r.CreatedBy).HasMaxLength(200);
        report.Property(r => r.UpdatedBy).HasMaxLength(200);
        report.Property(r => r.SubmittedBy).HasMaxLength(200);
        report.Property(r => r.DecidedBy).HasMaxLength(200);
        report.Property(r => r.ReturnReason).HasMaxLength(2000);
        report.Property(r => r.ReportsToCode).HasMaxLength(50);
        // Stored exactly as written, as a JSON object of section code to text.
        report.Property(r => r.Narrative)
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value)),
                    v => new Dictionary<string, string>(v)));
        report.Property(r => r.RollupPath).HasColumnType("text[]");
        report.HasIndex(r => new { r.OrgUnitCode, r.Period }).IsUnique();
        report.HasIndex(r => new { r.Period, r.Status });
        report.HasIndex(r => r.RollupPath).HasMethod("gin");
        report.HasMany(r => r.Values).WithOne().HasForeignKey(v => v.ReportId).OnDelete(DeleteBehavior.Cascade);
        report.HasMany(r => r.Events).WithOne().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
        report.Ignore(r => r.CountsInRollup);
        report.Ignore(r => r.IsEditable);
    }
}

sealed class ReportValueConfiguration : IEntityTypeConfiguration<ReportValue>
{
    public void Configure(EntityTypeBuilder<ReportValue> value)
    {
        value.ToTable("report_values");
        value.HasKey(v => new { v.ReportId, v.Indicator });
        value.Property(v => v.Indicator).HasMaxLength(100);
        value.HasIndex(v => v.Indicator);
    }
}

sealed class ReportEventConfiguration : IEntityTypeConfiguration<ReportEvent>
{
    public void Configure(EntityTypeBuilder<ReportEvent> e)
    {
        e.ToTable("report_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Action).HasMaxLength(20);
        e.Property(x => x.Field).HasMaxLength(100);
        e.Property(x => x.By).HasMaxLength(200);
        e.HasIndex(x => new { x.ReportId, x.Id });
    }
}
