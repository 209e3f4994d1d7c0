namespace Antq.Reporting.Api.Indicators;

/// <summary>
/// The service's code names value types as <c>Indicators.ValueType.Boolean</c> (plain <c>ValueType</c> is
/// <see cref="System.ValueType"/>), from when the catalogue lived in this folder; inside the service <c>Indicators</c> is
/// this namespace, so these constants keep that spelling meaning <see cref="global::Antq.Indicators.ValueType"/>. Once no
/// file says <c>Indicators.ValueType</c> any more (a global alias <c>ValueType = Antq.Indicators.ValueType</c> lets them
/// say <c>ValueType.Boolean</c>), this class can go.
/// </summary>
public static class ValueType
{
    public const global::Antq.Indicators.ValueType Integer = global::Antq.Indicators.ValueType.Integer;
    public const global::Antq.Indicators.ValueType Decimal = global::Antq.Indicators.ValueType.Decimal;
    public const global::Antq.Indicators.ValueType Boolean = global::Antq.Indicators.ValueType.Boolean;
}
