using Antq.Calendar;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Antq.Indicators;

/// <summary>
/// The indicator catalogue (danh mục chỉ tiêu): what a report asks in each period, how each value rolls up, and the
/// rules a report must keep. It is data: an administrator can publish a new version without a new release, and a
/// report keeps the version it was validated against.
/// </summary>
public sealed class Catalogue
{
    public required string Version { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<Indicator> Indicators { get; init; }

    public required IReadOnlyList<CatalogueRule> Rules { get; init; }

    public required IReadOnlyList<NarrativeSection> NarrativeSections { get; init; }

    [JsonIgnore]
    public IReadOnlyDictionary<string, Indicator> ByCode => byCode ??= Indicators.ToDictionary(i => i.Code, StringComparer.Ordinal);

    IReadOnlyDictionary<string, Indicator>? byCode;

    /// <summary>The indicators asked in a period kind ("H1" or "Y"), in catalogue order.</summary>
    public IEnumerable<Indicator> AskedIn(PeriodKind kind) => Indicators.Where(i => i.IsAskedIn(kind));

    /// <summary>
    /// The catalogue as a period's report sees it: the indicators asked in the period and the rules that can be judged on
    /// them (a rule naming an indicator the period does not ask can never be judged in it). It is what the Reporting API
    /// answers for a period (GET /api/indicators?period=…); a client reads that answer back with <see cref="JsonOptions"/>
    /// and judges its form with <see cref="ReportValidator"/>, by the same rules as the service.
    /// </summary>
    public Catalogue ForPeriod(PeriodKind kind)
    {
        var indicators = AskedIn(kind).ToList();
        var asked = indicators.Select(i => i.Code).ToHashSet(StringComparer.Ordinal);
        return new Catalogue
        {
            Version = Version,
            Description = Description,
            Indicators = indicators,
            Rules = [.. Rules.Where(r => RuleExpression.Parse(r.Expression).Codes.All(asked.Contains))],
            NarrativeSections = NarrativeSections,
        };
    }

    public static Catalogue Parse(string json)
    {
        var catalogue = JsonSerializer.Deserialize<Catalogue>(json, JsonOptions)
            ?? throw new CatalogueException("Danh mục chỉ tiêu rỗng.");
        catalogue.Check();
        return catalogue;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Refuses a catalogue whose codes, references or rules do not hold together, naming what is wrong.</summary>
    public void Check()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Version)) errors.Add("Thiếu phiên bản (version).");
        foreach (var duplicate in Indicators.GroupBy(i => i.Code).Where(g => g.Count() > 1))
            errors.Add($"Mã chỉ tiêu {duplicate.Key} bị trùng.");
        var codes = Indicators.Select(i => i.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var indicator in Indicators) errors.AddRange(indicator.Problems(codes));
        foreach (var rule in Rules)
        {
            try
            {
                foreach (var code in RuleExpression.Parse(rule.Expression).Codes.Where(c => !codes.Contains(c)))
                    errors.Add($"Quy tắc {rule.Code} dùng mã chỉ tiêu không có trong danh mục: {code}.");
            }
            catch (FormatException ex)
            {
                errors.Add($"Quy tắc {rule.Code}: {ex.Message}");
            }

            if (string.IsNullOrWhiteSpace(rule.Message)) errors.Add($"Quy tắc {rule.Code} thiếu thông báo lỗi.");
        }

        if (errors.Count > 0) throw new CatalogueException(errors);
    }

    /// <summary>
    /// How a catalogue is written and read: camelCase names and enum values ("valueType": "integer"). Enum values are read
    /// whatever their case, so the period answer of the Reporting API ("periods": ["H1"]) reads as well.
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

public sealed record NarrativeSection(string Code, string Name);

/// <summary>A cross-indicator rule, e.g. <c>TIPS_VALUABLE &lt;= TIPS_TOTAL</c>, with the Vietnamese message shown when broken.</summary>
public sealed record CatalogueRule(string Code, string Expression, string Message);

public sealed class CatalogueException : Exception
{
    public CatalogueException(string message) : this([message]) { }

    public CatalogueException(IReadOnlyList<string> errors) : base(string.Join(" ", errors)) => Errors = errors;

    /// <summary>Each problem on its own, in Vietnamese.</summary>
    public IReadOnlyList<string> Errors { get; }
}
