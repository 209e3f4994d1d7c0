using Antq.Contracts.Reporting;
using MassTransit;

namespace Antq.Portal.Live;

/// <summary>
/// Reporting's events, heard by this replica on its own temporary queue, turned into <see cref="LiveChange"/>s: a report's
/// status changes for the unit and the unit it reports to; a roll-up changes for every unit on its path.
/// </summary>
public sealed class ReportEventsConsumer(LiveUpdates updates) :
    IConsumer<ReportSubmitted>, IConsumer<ReportReturned>, IConsumer<ReportAccepted>, IConsumer<RollupChanged>, IConsumer<PeriodClosed>
{
    public Task Consume(ConsumeContext<ReportSubmitted> context) =>
        Publish(context.Message.Period, context.Message.OccurredAt, context.Message.OrgUnitCode, context.Message.ReportsToCode);

    public Task Consume(ConsumeContext<ReportReturned> context) =>
        Publish(context.Message.Period, context.Message.OccurredAt, context.Message.OrgUnitCode, context.Message.ReportsToCode);

    public Task Consume(ConsumeContext<ReportAccepted> context) =>
        Publish(context.Message.Period, context.Message.OccurredAt, context.Message.OrgUnitCode, context.Message.ReportsToCode);

    public Task Consume(ConsumeContext<RollupChanged> context) =>
        updates.PublishAsync(new LiveChange(context.Message.Period, context.Message.OrgUnitCodes, context.Message.OccurredAt));

    public Task Consume(ConsumeContext<PeriodClosed> context) =>
        Publish(context.Message.Period, context.Message.OccurredAt, context.Message.OrgUnitCode, null);

    Task Publish(string period, DateTimeOffset at, string unit, string? parent) =>
        updates.PublishAsync(new LiveChange(period, parent is null ? [unit] : [unit, parent], at));
}
