using Antq.Calendar;

namespace Antq.Plan.Api.Units;

/// <summary>
/// What importing a file on a date changes, worked out in memory before anything is written. The file describes the
/// units from <see cref="EffectiveFrom"/> on: a unit equal to the version valid that day is unchanged; a different one
/// closes that version and opens a new one; a unit of a kind the file describes completely that the file no longer
/// lists is closed. Importing the same file on the same date again therefore changes nothing.
/// </summary>
public sealed class UnitImportPlan
{
    public required DateOnly EffectiveFrom { get; init; }
    public List<OrgUnit> ToCreate { get; } = [];
    public List<OrgUnit> ToClose { get; } = [];
    public List<OrgUnit> Unchanged { get; } = [];

    /// <param name="file">The parsed file.</param>
    /// <param name="validOnDate">Every version valid on <paramref name="effectiveFrom"/> (all kinds).</param>
    /// <param name="laterStarts">For each code, the first start of a version after <paramref name="effectiveFrom"/>: a new version ends there.</param>
    public static UnitImportPlan Build(UnitFile file, DateOnly effectiveFrom, IReadOnlyCollection<OrgUnit> validOnDate,
        IReadOnlyDictionary<string, DateOnly> laterStarts)
    {
        var plan = new UnitImportPlan { EffectiveFrom = effectiveFrom };
        var current = validOnDate.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var listed = new HashSet<string>(file.Units.Select(u => u.Code), StringComparer.Ordinal);
        var errors = new List<string>();

        foreach (var record in file.Units)
        {
            if (record.ParentCode != DvhcFileParser.RootCode && !listed.Contains(record.ParentCode)
                && (!current.TryGetValue(record.ParentCode, out var parent) || file.CompleteKinds.Contains(parent.Kind)))
            {
                errors.Add($"Đơn vị {record.Code} ({record.Name}): không có đơn vị cấp trên mã {record.ParentCode} vào ngày {VietnamTime.Date(effectiveFrom)}.");
                continue;
            }

            if (current.TryGetValue(record.Code, out var existing))
            {
                if (Same(existing, record))
                {
                    plan.Unchanged.Add(existing);
                    continue;
                }

                plan.ToClose.Add(existing);
            }

            plan.ToCreate.Add(new OrgUnit
            {
                Id = Guid.CreateVersion7(),
                Code = record.Code,
                Name = record.Name,
                NormalizedName = VietnameseText.Normalize(record.Name),
                Kind = record.Kind,
                CommuneKind = record.CommuneKind,
                ParentCode = record.ParentCode,
                ValidFrom = effectiveFrom,
                ValidTo = laterStarts.TryGetValue(record.Code, out var next) ? next : null,
            });
        }

        if (errors.Count > 0) throw new UnitFileException(errors.Count <= 20 ? errors : [.. errors.Take(20), $"… và {errors.Count - 20} lỗi khác."]);

        foreach (var unit in validOnDate)
        {
            if (file.CompleteKinds.Contains(unit.Kind) && !listed.Contains(unit.Code)) plan.ToClose.Add(unit);
        }

        return plan;
    }

    static bool Same(OrgUnit unit, UnitRecord record) =>
        unit.Name == record.Name && unit.Kind == record.Kind && unit.CommuneKind == record.CommuneKind && unit.ParentCode == record.ParentCode;

    /// <summary>Counts by kind, for the answer to the caller.</summary>
    public IReadOnlyDictionary<string, ImportCounts> CountsByKind()
    {
        var kinds = ToCreate.Select(u => u.Kind).Concat(ToClose.Select(u => u.Kind)).Concat(Unchanged.Select(u => u.Kind)).Distinct().Order();
        return kinds.ToDictionary(k => k.ToString(), k => new ImportCounts(
            ToCreate.Count(u => u.Kind == k), ToClose.Count(u => u.Kind == k), Unchanged.Count(u => u.Kind == k)));
    }
}

public sealed record ImportCounts(int Created, int Closed, int Unchanged);
