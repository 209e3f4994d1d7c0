namespace Antq.Plan.Api.Domain.Plans;

/// <summary>
/// The indicator codes a plan's targets may name: those of the default catalogue
/// (../shared/data/catalog/antq-indicators.json, version 2026.1). A minimal copy of the codes only, so that the Plan
/// service validates targets without asking the Reporting service, which owns the catalogue.
/// </summary>
public static class IndicatorCodes
{
    public static readonly IReadOnlySet<string> Default = new HashSet<string>(StringComparer.Ordinal)
    {
        "PLAN_ISSUED", "CONF_BRIEFINGS", "PROP_SESSIONS", "PROP_PARTICIPANTS", "PROP_POSTS", "TIPS_TOTAL",
        "TIPS_VALUABLE", "PCT_TIPS_VALUABLE", "KDC_TOTAL", "KDC_REGISTERED", "KDC_SAFE", "ORG_TOTAL",
        "ORG_SAFE", "PCT_KDC_SAFE", "PCT_ORG_SAFE", "PCT_UNITS_SAFE", "CLS_XUAT_SAC", "CLS_KHA",
        "CLS_TRUNG_BINH", "CLS_YEU", "PCT_KHA_TRO_LEN", "AVG_PCT_KHA_TRO_LEN", "MODELS_ACTIVE", "MODELS_EFFECTIVE",
        "MODELS_NEW", "TYPICAL_EXAMPLES", "FESTIVAL_VENUES", "FESTIVAL_UNITS_HELD", "PCT_FESTIVAL", "FORUMS",
        "FORUM_OPINIONS", "MEDIATION_CASES", "MEDIATION_SUCCESS", "PCT_MEDIATION_SUCCESS", "REHAB_SUBJECTS", "WEAPONS_GUNS",
        "WEAPONS_OTHER", "EXPLOSIVES_KG", "CRIMES_SOCIAL_ORDER", "DRUG_CASES", "HOTSPOTS", "MAX_HOTSPOTS_ONE_UNIT",
        "AWARDS_COLLECTIVE", "AWARDS_INDIVIDUAL", "BUDGET_STATE_KVND", "BUDGET_SOCIAL_KVND",
    };
}
