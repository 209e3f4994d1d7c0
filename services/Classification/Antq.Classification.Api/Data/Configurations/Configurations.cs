using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Classification.Api.Data.Configurations;

sealed class ScoreSheetVersionConfiguration : IEntityTypeConfiguration<ScoreSheetVersion>
{
    public void Configure(EntityTypeBuilder<ScoreSheetVersion> sheet)
    {
        sheet.HasKey(s => s.Id);
        sheet.Property(s => s.SubjectKind).HasMaxLength(30);
        sheet.Property(s => s.Sheet).AsJson();
        sheet.Property(s => s.PublishedBy).HasMaxLength(200);
        sheet.HasIndex(s => new { s.Year, s.SubjectKind, s.Version }).IsUnique();
    }
}

sealed class SafeStandardVersionConfiguration : IEntityTypeConfiguration<SafeStandardVersion>
{
    public void Configure(EntityTypeBuilder<SafeStandardVersion> standard)
    {
        standard.HasKey(s => s.Id);
        standard.Property(s => s.SubjectKind).HasMaxLength(30);
        standard.Property(s => s.Standard).AsJson();
        standard.Property(s => s.PublishedBy).HasMaxLength(200);
        standard.HasIndex(s => new { s.Year, s.SubjectKind, s.Version }).IsUnique();
    }
}

sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> evaluation)
    {
        evaluation.HasKey(e => e.Id);
        evaluation.Property(e => e.OrgUnitCode).HasMaxLength(50);
        evaluation.Property(e => e.SubjectKind).HasMaxLength(30);
        evaluation.Property(e => e.ParentCode).HasMaxLength(50);
        evaluation.Property(e => e.SelfScores).AsJson();
        evaluation.Property(e => e.ApprovedScores).AsJson();
        evaluation.Property(e => e.DisqualifierMarks).AsJson();
        evaluation.Property(e => e.ComputedScores).AsJson();
        evaluation.Property(e => e.SelfTotal).HasPrecision(6, 2);
        evaluation.Property(e => e.ApprovedTotal).HasPrecision(6, 2);
        evaluation.Property(e => e.Class).HasMaxLength(20);
        evaluation.Property(e => e.SelfScoredBy).HasMaxLength(200);
        evaluation.Property(e => e.ApprovedBy).HasMaxLength(200);
        evaluation.Property(e => e.ClassDecidedBy).HasMaxLength(200);
        evaluation.Property(e => e.RowVersion).IsRowVersion();
        evaluation.HasIndex(e => new { e.OrgUnitCode, e.Year }).IsUnique();
        evaluation.HasIndex(e => new { e.ParentCode, e.Year });
        evaluation.HasOne<ScoreSheetVersion>().WithMany().HasForeignKey(e => e.ScoreSheetId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class SafeStandardResultConfiguration : IEntityTypeConfiguration<SafeStandardResult>
{
    public void Configure(EntityTypeBuilder<SafeStandardResult> result)
    {
        result.HasKey(r => r.Id);
        result.Property(r => r.OrgUnitCode).HasMaxLength(50);
        result.Property(r => r.SubjectKind).HasMaxLength(30);
        result.Property(r => r.ParentCode).HasMaxLength(50);
        result.Property(r => r.RegisteredBy).HasMaxLength(200);
        result.Property(r => r.DecidedBy).HasMaxLength(200);
        result.Property(r => r.Marks).AsJson();
        result.Property(r => r.RowVersion).IsRowVersion();
        result.HasIndex(r => new { r.OrgUnitCode, r.Year }).IsUnique();
        result.HasIndex(r => new { r.ParentCode, r.Year });
        result.HasOne<SafeStandardVersion>().WithMany().HasForeignKey(r => r.SafeStandardId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class AnnualReportValuesConfiguration : IEntityTypeConfiguration<AnnualReportValues>
{
    public void Configure(EntityTypeBuilder<AnnualReportValues> report)
    {
        report.HasKey(r => new { r.OrgUnitCode, r.Year });
        report.Property(r => r.OrgUnitCode).HasMaxLength(50);
        report.Property(r => r.Values).AsJson();
        report.Property(r => r.AcceptedBy).HasMaxLength(200);
    }
}

sealed class PlanTargetConfiguration : IEntityTypeConfiguration<PlanTarget>
{
    public void Configure(EntityTypeBuilder<PlanTarget> target)
    {
        target.HasKey(t => new { t.PlanId, t.Index });
        target.Property(t => t.PlanNumber).HasMaxLength(100);
        target.Property(t => t.IssuerCode).HasMaxLength(50);
        target.Property(t => t.Indicator).HasMaxLength(64);
        target.Property(t => t.Comparator).HasMaxLength(2);
        target.Property(t => t.Value).HasPrecision(18, 4);
        target.Property(t => t.Scope).HasMaxLength(20);
        target.HasIndex(t => new { t.IssuerCode, t.Year });
    }
}

sealed class TargetAttainmentConfiguration : IEntityTypeConfiguration<TargetAttainment>
{
    public void Configure(EntityTypeBuilder<TargetAttainment> attainment)
    {
        attainment.HasKey(a => new { a.PlanId, a.Index, a.OrgUnitCode });
        attainment.Property(a => a.OrgUnitCode).HasMaxLength(50);
        attainment.Property(a => a.Achieved).HasPrecision(18, 4);
    }
}

sealed class PublishedCountsConfiguration : IEntityTypeConfiguration<PublishedCounts>
{
    public void Configure(EntityTypeBuilder<PublishedCounts> counts)
    {
        counts.HasKey(c => new { c.OrgUnitCode, c.Year });
        counts.Property(c => c.OrgUnitCode).HasMaxLength(50);
        counts.Property(c => c.Values).AsJson();
    }
}
