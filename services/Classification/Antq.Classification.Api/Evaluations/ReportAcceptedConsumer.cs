using Antq.Calendar;
using Antq.Classification.Api.Data;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Classification.Api.Evaluations;

/// <summary>
/// An accepted annual report (YYYY-Y) gives the values the computed criteria read. The unit's sheet is scored again
/// on them, and its parent's counts and targets follow (they read the children's report values where the children
/// are communes). A later acceptance of the same report replaces the values; an older one changes nothing.
/// </summary>
public sealed class ReportAcceptedConsumer(ClassificationDbContext db, IOptions<DataWindowOptions> window, TimeProvider clock, ILogger<ReportAcceptedConsumer> logger)
    : IConsumer<ReportAccepted>
{
    public async Task Consume(ConsumeContext<ReportAccepted> context)
    {
        var message = context.Message;
        if (!ReportingPeriod.TryParseExact(message.Period, out var period) || period.Kind != PeriodKind.Y) return;
        var year = period.Year;
        // The typed message, never the raw envelope: MassTransit writes decimals as strings on the wire, so a reader of
        // the JSON that looked for numbers found none and stored an empty set (every computed criterion then stayed
        // "chưa có số liệu" and no unit was classified).
        var values = message.Values?.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value, StringComparer.Ordinal);
        if (values is null)
        {
            logger.LogWarning("ReportAccepted for {OrgUnit} {Period} carries no values; the computed criteria cannot be scored from it",
                message.OrgUnitCode, message.Period);
            return;
        }

        await db.HandleOnceAsync<ReportAcceptedConsumer>(context, async ct =>
        {
            var stored = await db.AnnualReports.FirstOrDefaultAsync(r => r.OrgUnitCode == message.OrgUnitCode && r.Year == year, ct);
            if (stored is not null && stored.AcceptedAt > message.OccurredAt) return;
            if (stored is null)
            {
                stored = new AnnualReportValues { OrgUnitCode = message.OrgUnitCode, Year = year, AcceptedBy = message.AcceptedBy };
                db.AnnualReports.Add(stored);
            }

            stored.ReportId = message.ReportId;
            stored.Values = values;
            stored.AcceptedBy = message.AcceptedBy;
            stored.AcceptedAt = message.OccurredAt;

            var evaluation = await db.Evaluations.FirstOrDefaultAsync(e => e.OrgUnitCode == message.OrgUnitCode && e.Year == year, ct);
            if (evaluation is not null)
            {
                var sheet = await db.ScoreSheets.AsNoTracking().FirstAsync(s => s.Id == evaluation.ScoreSheetId, ct);
                db.Rescore(evaluation, sheet.Sheet, sheet.IsDefault, values, ClassificationWork.ByReport, message.OccurredAt);
            }

            await db.SaveChangesAsync(ct);
            var date = ClassificationWork.HierarchyDate(year, window.Value);
            var parent = evaluation?.ParentCode ?? message.ReportsToCode ?? (await db.ResolveAsync(message.OrgUnitCode, year, window.Value, ct))?.Unit.ParentCode;
            if (parent is not null) await db.RefreshAsync(parent, year, date, clock.GetUtcNow(), ct);
        });
    }
}
