using Antq.Contracts.Plan;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.UnitTree;

/// <summary>
/// Applies unit versions to the copy, once per message (inbox), each by id and only if it is not older than what the
/// copy holds: batches may arrive in any order and replays overlap live changes, and the result is the same.
/// </summary>
public sealed class OrgUnitsChangedConsumer(UnitTreeDb tree) : IConsumer<OrgUnitsChanged>
{
    public async Task Consume(ConsumeContext<OrgUnitsChanged> context)
    {
        var db = tree.Context;
        var units = context.Message.Units;
        await db.HandleOnceAsync<OrgUnitsChangedConsumer>(context, async ct =>
        {
            if (units.Count == 0) return;
            var ids = units.Select(u => u.Id).ToArray();
            var codes = units.Select(u => u.Code).ToArray();
            var names = units.Select(u => u.Name).ToArray();
            var kinds = units.Select(u => u.Kind).ToArray();
            var communeKinds = units.Select(u => u.CommuneKind).ToArray();
            var parents = units.Select(u => u.ParentCode).ToArray();
            var froms = units.Select(u => u.ValidFrom).ToArray();
            var tos = units.Select(u => u.ValidTo).ToArray();
            var sequences = units.Select(u => u.ChangeSequence).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO unit_tree_versions (id, code, name, kind, commune_kind, parent_code, valid_from, valid_to, change_sequence)
                SELECT * FROM unnest({ids}, {codes}, {names}, {kinds}, {communeKinds}, {parents}, {froms}, {tos}, {sequences})
                ON CONFLICT (id) DO UPDATE SET
                    code = excluded.code, name = excluded.name, kind = excluded.kind, commune_kind = excluded.commune_kind,
                    parent_code = excluded.parent_code, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
                    change_sequence = excluded.change_sequence
                WHERE unit_tree_versions.change_sequence <= excluded.change_sequence
                """, ct);
        });
    }
}

/// <summary>The service's DbContext that holds the copy (registered by <see cref="UnitTreeServiceCollectionExtensions.AddUnitTree{TContext}"/>).</summary>
public sealed class UnitTreeDb(DbContext context)
{
    public DbContext Context { get; } = context;
}
