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
        report.HasMany(r => r.Changes).WithOne().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
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

sealed class ReportChangeConfiguration : IEntityTypeConfiguration<ReportChange>
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<ReportChange> change)
    {
        change.ToTable("report_changes");
        change.HasKey(x => x.Id);
        change.Property(x => x.Id).UseIdentityAlwaysColumn();
        change.Property(x => x.Action).HasMaxLength(20);
        change.Property(x => x.By).HasMaxLength(200);
        // The changed fields of a save, in the order they were changed: [{kind, field, old, new}].
        change.Property(x => x.Items)
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<ReportChangeItem>>(v, Json) ?? new List<ReportChangeItem>(),
                new ValueComparer<List<ReportChangeItem>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, i) => HashCode.Combine(h, i)), v => v.ToList()));
        change.HasIndex(x => new { x.ReportId, x.Id });
    }
}
