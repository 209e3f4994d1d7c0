
namespace Antq.Plan.Api.Lineage;

public sealed record LineageLink(Guid SuccessorId, Guid PredecessorId, bool Partial);

/// <summary>A name in the text that did not lead to exactly one old unit.</summary>
public sealed record UnresolvedPredecessor(string Code, string Name, string Reference, bool Partial, string Reason);

public sealed record LineageResult(
    IReadOnlyList<LineageLink> Links,
    IReadOnlyList<UnresolvedPredecessor> Unresolved,
    IReadOnlyList<string> MissingSuccessors,
    int WholeNamed,
    int WholeResolved,
    int PartialNamed,
    int PartialResolved)
{
    public double WholeResolutionRate => WholeNamed == 0 ? 1 : (double)WholeResolved / WholeNamed;
}

/// <summary>
/// Links each new unit of merges-2025.json to the old units named in its text. Names are resolved only among the old
/// units of the provinces that formed the new unit's province (read from the province lines), first by name, then by
/// the type written before the name, the district in brackets, the code the new unit kept, and the district of the
/// other old units of the same new unit. A name that is still missing or ambiguous is reported, never guessed.
/// </summary>
public static class LineageResolver
{
    static readonly Dictionary<string, string> ProvinceAliases = new()
    {
        ["tphcm"] = "ho chi minh",
        ["tp hcm"] = "ho chi minh",
        ["tp ho chi minh"] = "ho chi minh",
    };

    static readonly HashSet<string> DistrictTypes = ["huyen", "quan", "thi xa", "thanh pho"];

    sealed record Candidate(OrgUnit Unit, string? Type, string Base, string AccentedBase, string? DistrictCode, string? DistrictBase, string ProvinceBase);

    static (string? Type, string Base, string Accented) NameKeys(string name)
    {
        var (plain, accented) = VietnameseText.Keys(name);
        var (type, b) = UnitNames.Split(plain);
        return (type, b, accented[^b.Length..]);
    }

    static PredecessorReference KeptReference(string text, string name)
    {
        var (type, b, accented) = NameKeys(name);
        return new PredecessorReference(text, type, b, accented, null, false);
    }

    /// <param name="lines">The merges file.</param>
    /// <param name="oldUnits">Provinces, districts and communes valid the day before the reform.</param>
    /// <param name="newUnits">Provinces and communes valid on the reform date.</param>
    public static LineageResult Resolve(IReadOnlyList<MergeLine> lines, IReadOnlyCollection<OrgUnit> oldUnits, IReadOnlyCollection<OrgUnit> newUnits)
    {
        var newByCode = newUnits.GroupBy(u => u.Code).ToDictionary(g => g.Key, g => g.First());
        var oldByCode = oldUnits.GroupBy(u => u.Code).ToDictionary(g => g.Key, g => g.First());
        var oldProvinces = oldUnits.Where(u => u.Kind == OrgUnitKind.Province).ToList();

        var links = new List<LineageLink>();
        var linked = new HashSet<(Guid, Guid)>();
        var unresolved = new List<UnresolvedPredecessor>();
        var missing = new List<string>();
        int wholeNamed = 0, wholeResolved = 0, partialNamed = 0, partialResolved = 0;

        // Province lines first: they say which old provinces' units a commune line may name.
        var formedFrom = new Dictionary<string, List<OrgUnit>>();
        foreach (var line in lines.Where(l => l.IsProvince))
        {
            var text = PredecessorTextParser.Parse(line.Text!);
            var found = new List<OrgUnit>();
            if (text.Kept)
            {
                var baseName = UnitNames.BaseName(line.Name!);
                var same = oldProvinces.Where(p => UnitNames.BaseName(p.Name) == baseName).ToList();
                if (same.Count != 1) same = oldProvinces.Where(p => p.Code == line.Code).ToList();
                Count(line, KeptReference(line.Text!, line.Name!), same);
            }
            else
            {
                foreach (var reference in text.References)
                {
                    var name = ProvinceAliases.GetValueOrDefault(reference.BaseName, reference.BaseName);
                    if (ProvinceAliases.TryGetValue((reference.Type is null ? "" : reference.Type + " ") + reference.BaseName, out var alias)) name = alias;
                    Count(line, reference, oldProvinces.Where(p => UnitNames.BaseName(p.Name) == name).ToList());
                }
            }

            formedFrom[line.Code!] = found;

            void Count(MergeLine l, PredecessorReference reference, List<OrgUnit> matches)
            {
                if (reference.Partial) partialNamed++; else wholeNamed++;
                if (matches.Count == 1)
                {
                    if (reference.Partial) partialResolved++; else wholeResolved++;
                    found.Add(matches[0]);
                    if (newByCode.TryGetValue(l.Code!, out var successor) && successor.Kind == OrgUnitKind.Province)
                    {
                        if (successor.Id != matches[0].Id) links.Add(new LineageLink(successor.Id, matches[0].Id, reference.Partial));
                    }
                }
                else
                {
                    unresolved.Add(new UnresolvedPredecessor(l.Code!, l.Name!, reference.Text, reference.Partial,
                        matches.Count == 0 ? "không tìm thấy tỉnh cũ có tên này" : "có nhiều tỉnh cũ cùng tên"));
                }
            }

            if (!newByCode.ContainsKey(line.Code!)) missing.Add(line.Code!);
        }

        // Candidates per new province: the communes and districts of the old provinces that formed it.
        var districtsByCode = oldUnits.Where(u => u.Kind == OrgUnitKind.District).ToDictionary(u => u.Code);
        var provinceBase = oldProvinces.ToDictionary(p => p.Code, p => UnitNames.BaseName(p.Name));
        var candidatesByProvince = new Dictionary<string, Dictionary<string, List<Candidate>>>();
        Dictionary<string, List<Candidate>> CandidatesFor(string newProvince)
        {
            if (candidatesByProvince.TryGetValue(newProvince, out var index)) return index;
            var provinceCodes = formedFrom.GetValueOrDefault(newProvince)?.Select(p => p.Code).ToHashSet() ?? [];
            var list = new List<Candidate>();
            foreach (var unit in oldUnits)
            {
                if (unit.Kind == OrgUnitKind.District && provinceCodes.Contains(unit.ParentCode!))
                {
                    var (type, b, accented) = NameKeys(unit.Name);
                    list.Add(new Candidate(unit, type, b, accented, null, null, provinceBase[unit.ParentCode!]));
                }
                else if (unit.Kind == OrgUnitKind.Commune && unit.ParentCode is { } d && districtsByCode.TryGetValue(d, out var district)
                    && provinceCodes.Contains(district.ParentCode!))
                {
                    var (type, b, accented) = NameKeys(unit.Name);
                    list.Add(new Candidate(unit, type, b, accented, district.Code, UnitNames.Split(district.NormalizedName).Base, provinceBase[district.ParentCode!]));
                }
            }

            index = list.GroupBy(c => c.Base).ToDictionary(g => g.Key, g => g.ToList());
            candidatesByProvince[newProvince] = index;
            return index;
        }

        foreach (var line in lines.Where(l => !l.IsProvince))
        {
            if (!newByCode.TryGetValue(line.Code!, out var successor))
            {
                missing.Add(line.Code!);
                continue;
            }

            var text = PredecessorTextParser.Parse(line.Text!);
            var references = text.Kept
                ? [KeptReference(line.Text!, line.Name!)]
                : text.References;
            var index = CandidatesFor(line.ParentCode!);

            var results = references.Select(r => (Reference: r, Matches: Match(r, index, successor.Code))).ToList();

            // Ambiguous names: keep the candidate in the district where the other old units of this new unit lay.
            var siblingDistricts = results.Where(r => r.Matches.Count == 1).Select(r => r.Matches[0].DistrictCode ?? r.Matches[0].Unit.Code).ToHashSet();
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].Matches.Count <= 1) continue;
                var inSiblings = results[i].Matches.Where(c => c.DistrictCode is not null && siblingDistricts.Contains(c.DistrictCode)).ToList();
                if (inSiblings.Count == 1) results[i] = (results[i].Reference, inSiblings);
            }

            foreach (var (reference, matches) in results)
            {
                if (reference.Partial) partialNamed++; else wholeNamed++;
                if (matches.Count == 1)
                {
                    if (reference.Partial) partialResolved++; else wholeResolved++;
                    if (matches[0].Unit.Id != successor.Id && linked.Add((successor.Id, matches[0].Unit.Id)))
                    {
                        links.Add(new LineageLink(successor.Id, matches[0].Unit.Id, reference.Partial));
                    }
                }
                else
                {
                    var reason = matches.Count == 0
                        ? "không tìm thấy đơn vị cũ có tên này trong các tỉnh đã hợp thành tỉnh mới"
                        : $"có {matches.Count} đơn vị cũ cùng tên ({string.Join("; ", matches.Select(c => $"{c.Unit.Name} – mã {c.Unit.Code}"))})";
                    unresolved.Add(new UnresolvedPredecessor(line.Code!, line.Name!, reference.Text, reference.Partial, reason));
                }
            }
        }

        return new LineageResult(links, unresolved, missing, wholeNamed, wholeResolved, partialNamed, partialResolved);
    }

    static List<Candidate> Match(PredecessorReference reference, Dictionary<string, List<Candidate>> index, string successorCode)
    {
        var matches = Narrow(reference, index.GetValueOrDefault(reference.BaseName) ?? [], successorCode);
        // "Phường Phường Quang Trung": the type written twice. Not "Phường Phương Mai", which matched above.
        if (matches.Count == 0 && reference.WithoutSecondType() is { } inner)
        {
            matches = Narrow(inner, index.GetValueOrDefault(inner.BaseName) ?? [], successorCode);
        }

        return matches;
    }

    static List<Candidate> Narrow(PredecessorReference reference, List<Candidate> candidates, string successorCode)
    {
        var wantsDistrict = reference.Type is not null && DistrictTypes.Contains(reference.Type);
        var list = candidates.Where(c => wantsDistrict ? c.Unit.Kind == OrgUnitKind.District : c.Unit.Kind == OrgUnitKind.Commune).ToList();
        if (list.Count == 0 && reference.Type is null) list = candidates;
        // "Thanh Tân" is not "Thành Tân": the tones decide before anything else.
        list = Prefer(list, c => c.AccentedBase == reference.AccentedBase);
        list = Prefer(list, c => reference.Type is not null && c.Type == reference.Type);
        list = Prefer(list, c => reference.Hint is not null && (c.DistrictBase == reference.Hint || c.ProvinceBase == reference.Hint));
        // The new unit usually kept the code of one of the units it was formed from.
        list = Prefer(list, c => c.Unit.Code == successorCode);
        return list;
    }

    /// <summary>Keeps the candidates that satisfy <paramref name="test"/> when there are several and some do.</summary>
    static List<Candidate> Prefer(List<Candidate> list, Func<Candidate, bool> test)
    {
        if (list.Count <= 1) return list;
        var preferred = list.Where(test).ToList();
        return preferred.Count > 0 ? preferred : list;
    }
}
