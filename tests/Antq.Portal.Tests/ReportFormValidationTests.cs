using System.Net;
using System.Text;
using System.Text.Json;
using Antq.Calendar;
using Antq.Indicators;
using Antq.Portal.Api;
using Antq.Portal.Auth;
using Antq.Portal.Reports;
using Microsoft.AspNetCore.Components.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Antq.Portal.Tests;

/// <summary>
/// The report form is judged before anything is sent, and it must answer what the Reporting service would: the portal
/// reads the catalogue in force from the service (GET /api/indicators?period=…) and judges the form with the catalogue
/// library's <see cref="ReportValidator"/>, the one the service judges saves and submissions with. These tests prove the
/// wiring: the same errors, word for word, for the same form, and a rule only the service's catalogue knows is kept.
/// </summary>
public sealed class ReportFormValidationTests
{
    /// <summary>The catalogue in force at the service: a version published with a new indicator and its rule (CAMERAS).</summary>
    static readonly Catalogue InForce = Catalogue.Parse("""
        {
          "version": "2027.1",
          "narrativeSections": [{"code": "KET_QUA", "name": "Kết quả thực hiện"}],
          "indicators": [
            {"code": "PLAN_ISSUED", "section": "A", "name": "Đã ban hành kế hoạch thực hiện phong trào", "unit": "có/không", "valueType": "boolean", "aggregation": "countTrue", "periods": ["H1", "Y"]},
            {"code": "TIPS_TOTAL", "section": "C", "name": "Số nguồn tin do quần chúng cung cấp", "unit": "tin", "valueType": "integer", "aggregation": "sum", "periods": ["H1", "Y"]},
            {"code": "TIPS_VALUABLE", "section": "C", "name": "Trong đó: tin có giá trị", "unit": "tin", "valueType": "integer", "aggregation": "sum", "periods": ["H1", "Y"]},
            {"code": "PCT_TIPS_VALUABLE", "section": "C", "name": "Tỷ lệ tin có giá trị", "unit": "%", "valueType": "decimal", "aggregation": "ratio", "numerator": ["TIPS_VALUABLE"], "denominator": ["TIPS_TOTAL"], "factor": 100, "computed": true, "periods": ["H1", "Y"]},
            {"code": "KDC_TOTAL", "section": "D", "name": "Tổng số khu dân cư (thôn, tổ dân phố)", "unit": "khu", "valueType": "integer", "aggregation": "sum", "periods": ["H1", "Y"]},
            {"code": "KDC_SAFE", "section": "D", "name": "Số khu dân cư được công nhận đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"", "unit": "khu", "valueType": "integer", "aggregation": "sum", "periods": ["Y"]},
            {"code": "CAMERAS", "section": "F", "name": "Số camera an ninh lắp đặt mới", "unit": "camera", "valueType": "integer", "aggregation": "sum", "periods": ["H1", "Y"]},
            {"code": "EXPLOSIVES_KG", "section": "I", "name": "Khối lượng vật liệu nổ giao nộp", "unit": "kg", "valueType": "decimal", "aggregation": "sum", "periods": ["H1", "Y"]}
          ],
          "rules": [
            {"code": "R_TIPS", "expression": "TIPS_VALUABLE <= TIPS_TOTAL", "message": "Số tin có giá trị không được lớn hơn tổng số nguồn tin"},
            {"code": "R_KDC_SAFE", "expression": "KDC_SAFE <= KDC_TOTAL", "message": "Số khu dân cư đạt tiêu chuẩn không được lớn hơn tổng số khu dân cư"},
            {"code": "R_CAMERAS", "expression": "CAMERAS <= 1000", "message": "Số camera không được quá 1.000"}
          ]
        }
        """);

    /// <summary>What the service answers GET /api/indicators?period=2026-H1 with that catalogue in force, as it writes it.</summary>
    const string Answer = """
        {"version":"2027.1","description":null,"period":"2026-H1","periodName":"Sơ kết 6 tháng đầu năm 2026",
         "indicators":[
          {"code":"PLAN_ISSUED","section":"A","name":"Đã ban hành kế hoạch thực hiện phong trào","unit":"có/không","valueType":"boolean","aggregation":"countTrue","computed":false,"numerator":null,"denominator":null,"factor":null,"of":null,"periods":["H1","Y"]},
          {"code":"TIPS_TOTAL","section":"C","name":"Số nguồn tin do quần chúng cung cấp","unit":"tin","valueType":"integer","aggregation":"sum","computed":false,"numerator":null,"denominator":null,"factor":null,"of":null,"periods":["H1","Y"]},
          {"code":"TIPS_VALUABLE","section":"C","name":"Trong đó: tin có giá trị","unit":"tin","valueType":"integer","aggregation":"sum","computed":false,"numerator":null,"denominator":null,"factor":null,"of":null,"periods":["H1","Y"]},
          {"code":"PCT_TIPS_VALUABLE","section":"C","name":"Tỷ lệ tin có giá trị","unit":"%","valueType":"decimal","aggregation":"ratio","computed":true,"numerator":["TIPS_VALUABLE"],"denominator":["TIPS_TOTAL"],"factor":100,"of":null,"periods":["H1","Y"]},
          {"code":"KDC_TOTAL","section":"D","name":"Tổng số khu dân cư (thôn, tổ dân phố)","unit":"khu","valueType":"integer","aggregation":"sum","computed":false,"numerator":null,"denominator":null,"factor":null,"of":null,"periods":["H1","Y"]},
          {"code":"CAMERAS","section":"F","name":"Số camera an ninh lắp đặt mới","unit":"camera","valueType":"integer","aggregation":"sum","computed":false,"numerator":null,"denominator":null,"factor":null,"of":null,"periods":["H1","Y"]},
          {"code":"EXPLOSIVES_KG","section":"I","name":"Khối lượng vật liệu nổ giao nộp","unit":"kg","valueType":"decimal","aggregation":"sum","computed":false,"numerator":null,"denominator":null,"factor":null,"of":null,"periods":["H1","Y"]}],
         "rules":[
          {"code":"R_TIPS","expression":"TIPS_VALUABLE <= TIPS_TOTAL","message":"Số tin có giá trị không được lớn hơn tổng số nguồn tin"},
          {"code":"R_CAMERAS","expression":"CAMERAS <= 1000","message":"Số camera không được quá 1.000"}],
         "narrativeSections":[{"code":"KET_QUA","name":"Kết quả thực hiện"}]}
        """;

    /// <summary>
    /// Forms as typed in the portal (Vietnamese numbers, yes/no from the list), and the same values as the service
    /// receives them in a save.
    /// </summary>
    public static TheoryData<string, string> InvalidForms => new()
    {
        // Type, sign, size and decimals: what the service refuses a save for.
        { """{"TIPS_TOTAL": "-3", "TIPS_VALUABLE": "1,5", "EXPLOSIVES_KG": "0,123456", "KDC_TOTAL": "mười", "PLAN_ISSUED": "có"}""",
          """{"TIPS_TOTAL": -3, "TIPS_VALUABLE": 1.5, "EXPLOSIVES_KG": 0.123456, "KDC_TOTAL": "mười", "PLAN_ISSUED": "có"}""" },
        // A broken rule of the catalogue: what the service refuses the submission for.
        { """{"TIPS_TOTAL": "5", "TIPS_VALUABLE": "7", "PLAN_ISSUED": "true"}""",
          """{"TIPS_TOTAL": 5, "TIPS_VALUABLE": 7, "PLAN_ISSUED": true}""" },
        // The rule the new version brought, and a rule not judged while a value it needs is refused.
        { """{"CAMERAS": "1.001", "TIPS_TOTAL": "2.000.000.000.000", "TIPS_VALUABLE": "12"}""",
          """{"CAMERAS": 1001, "TIPS_TOTAL": 2000000000000, "TIPS_VALUABLE": 12}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task The_form_gets_the_errors_the_reporting_service_answers(string typed, string saved)
    {
        var catalogue = await CatalogueAsTheFormReadsIt();

        var portal = ReportFormValues.Errors(catalogue, Typed(typed));

        Assert.NotEmpty(portal);
        Assert.Equal(Lines(ServiceAnswers(saved)), Lines(portal));
    }

    [Fact]
    public async Task The_errors_are_the_services_own_words()
    {
        var catalogue = await CatalogueAsTheFormReadsIt();

        var values = ReportFormValues.Errors(catalogue, Typed("""{"TIPS_TOTAL": "-3", "TIPS_VALUABLE": "1,5", "PLAN_ISSUED": "có"}"""));
        var rules = ReportFormValues.Errors(catalogue, Typed("""{"TIPS_TOTAL": "5", "TIPS_VALUABLE": "7", "CAMERAS": "1001"}"""));

        Assert.Equal(["\"Số nguồn tin do quần chúng cung cấp\" không được là số âm."], values["TIPS_TOTAL"]);
        Assert.Equal(["\"Trong đó: tin có giá trị\" phải là số nguyên (tin)."], values["TIPS_VALUABLE"]);
        Assert.Equal(["\"Đã ban hành kế hoạch thực hiện phong trào\" phải là có hoặc không (true/false)."], values["PLAN_ISSUED"]);
        Assert.Equal(["Số tin có giá trị không được lớn hơn tổng số nguồn tin"], rules["TIPS_VALUABLE"]);
        Assert.Equal(["Số camera không được quá 1.000"], rules["CAMERAS"]);
        Assert.Equal(["TIPS_VALUABLE", "CAMERAS"], rules.Keys);
    }

    [Fact]
    public async Task A_form_the_service_would_take_has_no_errors_and_is_sent_as_the_service_reads_it()
    {
        var catalogue = await CatalogueAsTheFormReadsIt();
        var typed = Typed("""{"TIPS_TOTAL": "1.234", "TIPS_VALUABLE": "1.000", "EXPLOSIVES_KG": "2,5", "PLAN_ISSUED": "true", "CAMERAS": ""}""");

        Assert.Empty(ReportFormValues.Errors(catalogue, typed));
        Assert.Empty(ServiceAnswers("""{"TIPS_TOTAL": 1234, "TIPS_VALUABLE": 1000, "EXPLOSIVES_KG": 2.5, "PLAN_ISSUED": true}"""));
        Assert.Equal(true, ReportFormValues.ToSend(catalogue.ByCode["PLAN_ISSUED"], ReportFormValues.Values(catalogue, typed)["PLAN_ISSUED"]));
        Assert.Equal(81.04m, Math.Round(ReportFormValues.Computed(catalogue.ByCode["PCT_TIPS_VALUABLE"], ReportFormValues.Values(catalogue, typed))!.Value, 2));
    }

    /// <summary>The catalogue through the portal's own API client, from the service's answer.</summary>
    static async Task<Catalogue> CatalogueAsTheFormReadsIt()
    {
        var reporting = new ReportingApi();
        var result = await Client(reporting).GetCatalogueAsync("2026-H1");

        Assert.True(result.Ok, result.Message);
        Assert.Equal("/api/indicators?period=2026-H1", reporting.Asked);
        Assert.Equal(InForce.ForPeriod(PeriodKind.H1).Rules, result.Value!.Rules);
        return result.Value;
    }

    /// <summary>
    /// What the service answers for the same values: the errors of the save (ReportsApi) and the rules the submission
    /// breaks on the values it took (ReportLifecycle), with its own catalogue in force.
    /// </summary>
    static Dictionary<string, List<string>> ServiceAnswers(string saved)
    {
        var (values, errors) = ReportValidator.ReadValues(InForce, PeriodKind.H1, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(saved)!);
        var taken = values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value, StringComparer.Ordinal);
        foreach (var (code, messages) in ReportValidator.CheckRules(InForce, taken))
        {
            if (!errors.TryGetValue(code, out var list)) errors[code] = list = [];
            list.AddRange(messages.Where(m => !list.Contains(m)));
        }

        return errors;
    }

    static Dictionary<string, string?> Typed(string json) => JsonSerializer.Deserialize<Dictionary<string, string?>>(json)!;

    static IEnumerable<string> Lines(Dictionary<string, List<string>> errors) =>
        errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).Order(StringComparer.Ordinal);

    static AntqApiClient Client(HttpMessageHandler reporting)
    {
        var session = new UserSession(new ComponentStatePersistenceManager(NullLogger<ComponentStatePersistenceManager>.Instance).State,
            new TokenRefresher(new NoIdentity(), new MemoryCache(new MemoryCacheOptions()), TimeProvider.System, NullLogger<TokenRefresher>.Instance));
        session.Capture(new TokenSet("access", "refresh", DateTimeOffset.UtcNow.AddHours(1), "id"));
        return new AntqApiClient(new HttpClient(reporting) { BaseAddress = new Uri("http://gateway.test/") }, session, NullLogger<AntqApiClient>.Instance);
    }

    sealed class ReportingApi : HttpMessageHandler
    {
        public string? Asked { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked = request.RequestUri!.PathAndQuery;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Answer, Encoding.UTF8, "application/json") });
        }
    }

    /// <summary>The token is fresh for an hour: the Identity service is never called.</summary>
    sealed class NoIdentity : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No token refresh was expected.");
    }
}
