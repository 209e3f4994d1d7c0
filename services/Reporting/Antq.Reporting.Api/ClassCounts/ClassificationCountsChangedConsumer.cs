using Antq.Contracts.Classification;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.ClassCounts;

/// <summary>
/// The class counts and safe-standard recognitions of the units below a unit (CLS_*, KDC_SAFE, ORG_SAFE) come from the
/// Classification service into the unit's annual report draft, so that nobody types them twice. Only the newest counts
/// per unit and period apply (the highest sequence), and only while the report can still be edited: a submitted or
/// accepted report keeps what was submitted, and the officer sees the new counts when it is returned.
/// </summary>
public sealed class ClassificationCountsChangedConsumer(ReportingDbContext db, ReportLifecycle lifecycle, ILogger<ClassificationCountsChangedConsumer> logger)
    : IConsumer<ClassificationCountsChanged>
{
    /// <summary>Who the report's history names for these values.</summary>
    public const string By = "Phân loại phong trào (tự động)";

    public async Task Consume(ConsumeContext<ClassificationCountsChanged> context)
    {
        var message = context.Message;
        if (!ReportingPeriod.TryParseExact(message.Period, out var period) || period.Kind != PeriodKind.Y)
        {
            logger.LogWarning("Classification counts for {OrgUnit} name period {Period}, which is not an annual period; ignored", message.OrgUnitCode, message.Period);
            return;
        }

        await db.HandleOnceAsync<ClassificationCountsChangedConsumer>(context, async ct =>
        {
            var newer = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO classification_counts (org_unit_code, period, sequence) VALUES ({message.OrgUnitCode}, {message.Period}, {message.Sequence})
                ON CONFLICT (org_unit_code, period) DO UPDATE SET sequence = excluded.sequence
                WHERE classification_counts.sequence < excluded.sequence
                """, ct);
            if (newer == 0)
            {
                logger.LogInformation("Older classification counts for {OrgUnit} {Period} (sequence {Sequence}) ignored", message.OrgUnitCode, message.Period, message.Sequence);
                return;
            }

            var catalogue = await db.InForceAsync(ct);
            var values = message.Values
                .Where(v => catalogue.ByCode.TryGetValue(v.Key, out var indicator) && indicator.IsEntered && indicator.IsAskedIn(period.Kind))
                .ToDictionary(v => v.Key, v => (decimal?)v.Value, StringComparer.Ordinal);
            if (!await lifecycle.FillCountsAsync(message.OrgUnitCode, message.Period, catalogue, values, By, ct))
            {
                logger.LogInformation("Report of {OrgUnit} {Period} is no longer editable; the new classification counts wait until it is returned",
                    message.OrgUnitCode, message.Period);
            }
        });
    }
}
