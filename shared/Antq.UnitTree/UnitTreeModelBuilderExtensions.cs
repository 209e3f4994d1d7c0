using Microsoft.EntityFrameworkCore;

namespace Antq.UnitTree;

public static class UnitTreeModelBuilderExtensions
{
    public const string Table = "unit_tree_versions";

    /// <summary>Adds the copy of the unit tree to a service's model. Names are explicit: the consumer writes with raw SQL.</summary>
    public static ModelBuilder AddUnitTree(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UnitTreeVersion>(unit =>
        {
            unit.ToTable(Table);
            unit.HasKey(u => u.Id);
            unit.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            unit.Property(u => u.Code).HasColumnName("code").HasMaxLength(50);
            unit.Property(u => u.Name).HasColumnName("name").HasMaxLength(300);
            unit.Property(u => u.Kind).HasColumnName("kind").HasMaxLength(30);
            unit.Property(u => u.CommuneKind).HasColumnName("commune_kind").HasMaxLength(20);
            unit.Property(u => u.ParentCode).HasColumnName("parent_code").HasMaxLength(50);
            unit.Property(u => u.ValidFrom).HasColumnName("valid_from");
            unit.Property(u => u.ValidTo).HasColumnName("valid_to");
            unit.Property(u => u.ChangeSequence).HasColumnName("change_sequence");
            unit.HasIndex(u => new { u.Code, u.ValidFrom }).HasDatabaseName("ix_unit_tree_versions_code_valid_from");
            unit.HasIndex(u => new { u.ParentCode, u.ValidFrom }).HasDatabaseName("ix_unit_tree_versions_parent_code_valid_from");
            unit.HasIndex(u => u.ChangeSequence).HasDatabaseName("ix_unit_tree_versions_change_sequence");
        });
        return modelBuilder;
    }
}
