using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.ServiceDefaults;
using Antq.Testing;

namespace Antq.Security.Tests;

/// <summary>
/// Every administrative act of the platform lands in Identity's audit trail: the acting service announces it through its
/// outbox in the act's own transaction, Identity writes it once. A refused act is not an act and leaves nothing.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AdministrativeAuditTests(SecurityPlatform platform)
{
    /// <summary>An administrator no other test is, so that the trail's entries of this test are told apart.</summary>
    const string Actor = "quan.tri.kiem.toan";

    static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    static async Task AssertOkAsync(Task<HttpResponseMessage> sending, string what)
    {
        using var response = await sending;
        Assert.True(response.IsSuccessStatusCode, $"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    async Task<List<JsonElement>> TrailAsync(string query)
    {
        using var reader = platform.Identity.As(AntqRoles.Admin, "BCA", "admin");
        return [.. (await reader.GetFromJsonAsync<JsonElement>("/api/users/audit?take=1000&" + query)).EnumerateArray()];
    }

    [Fact]
    public async Task Acts_in_Plan_Reporting_and_Classification_arrive_in_the_audit_trail_with_actor_service_and_outcome()
    {
        var a2 = platform.CommuneA2;
        using var plan = platform.Plan.As(AntqRoles.Admin, SecurityPlatform.ProvinceA, Actor);
        using var reporting = platform.Reporting.As(AntqRoles.Admin, SecurityPlatform.ProvinceA, Actor);
        using var classification = platform.Classification.As(AntqRoles.Admin, SecurityPlatform.ProvinceA, Actor);

        await AssertOkAsync(plan.PostAsJsonAsync("/api/org-units", new { code = $"{a2}-KDC9", name = "Khu dân cư số 9", kind = "ResidentialArea", parentCode = a2, validFrom = "2026-01-01" }), "creating a unit");
        await AssertOkAsync(plan.PostAsync("/api/org-units/import?effectiveFrom=2026-01-01",
            new StringContent($"code,name,kind,parentCode\n{a2}-KDC8,Khu dân cư số 8,ResidentialArea,{a2}\n", Encoding.UTF8, "text/csv")), "importing units");
        await AssertOkAsync(plan.PostAsync($"/api/deadlines/recompute?year={SecurityPlatform.Year}", null), "recomputing deadlines");

        var catalogue = JsonNode.Parse(await File.ReadAllTextAsync(TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")))!;
        catalogue["version"] = "2026.9-kiem-toan";
        await AssertOkAsync(reporting.PutAsync("/api/indicators/catalogue", Json(catalogue.ToJsonString())), "publishing a catalogue");
        await AssertOkAsync(reporting.PostAsync($"/api/rollups/{SecurityPlatform.Period}/recompute", null), "recomputing roll-ups");

        await AssertOkAsync(classification.PutAsJsonAsync("/api/classifications/score-sheets/2039/Commune", new
        {
            criteria = new[] { new { code = "TC1", name = "Ban hành kế hoạch, chỉ đạo triển khai phong trào", max = 100 } },
            cutoffs = new { xuatSac = 90, kha = 70, trungBinh = 50 },
        }), "publishing a score sheet");
        await AssertOkAsync(classification.PutAsJsonAsync("/api/classifications/safe-standards/2039/Commune", new
        {
            criteria = new[] { new { code = "AT1", name = "Không để xảy ra vụ việc phức tạp về an ninh, trật tự" } },
        }), "publishing a safe standard");

        var expected = new Dictionary<string, (string Service, string Subject)>
        {
            ["org-unit.created"] = ("plan", $"{a2}-KDC9"),
            ["org-units.imported"] = ("plan", "org-units/2026-01-01"),
            ["deadlines.recomputed"] = ("plan", $"deadlines/{SecurityPlatform.Year}"),
            ["catalogue.published"] = ("reporting", "catalogue/2026.9-kiem-toan"),
            ["rollups.recomputed"] = ("reporting", $"rollups/{SecurityPlatform.Period}"),
            ["score-sheet.published"] = ("classification", "score-sheet/2039/Commune"),
            ["safe-standard.published"] = ("classification", "safe-standard/2039/Commune"),
        };
        List<JsonElement> trail = [];
        await SecurityPlatform.Eventually(async () =>
        {
            trail = await TrailAsync($"actor={Actor}");
            return expected.Keys.All(action => trail.Any(e => e.GetProperty("action").GetString() == action));
        }, "not every act reached the audit trail");

        foreach (var (action, (service, subject)) in expected)
        {
            var entry = Assert.Single(trail, e => e.GetProperty("action").GetString() == action);
            Assert.Equal(service, entry.GetProperty("service").GetString());
            Assert.Equal(subject, entry.GetProperty("subject").GetString());
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("detail").GetString()), $"{action} has no detail");
        }

        Assert.Contains("1 tạo mới", Assert.Single(trail, e => e.GetProperty("action").GetString() == "org-units.imported").GetProperty("detail").GetString());
        Assert.Equal(["catalogue.published", "rollups.recomputed"],
            (await TrailAsync($"actor={Actor}&service=reporting")).Select(e => e.GetProperty("action").GetString()).Order(StringComparer.Ordinal));
        Assert.Single(await TrailAsync($"actor={Actor}&action=deadlines.recomputed"));
    }

    [Fact]
    public async Task Contact_point_changes_arrive_in_the_trail_with_what_changed_but_never_the_secret()
    {
        const string officerName = "can.bo.dau.moi.kiem.toan", adminName = "quan.tri.dau.moi.kiem.toan";
        const string secret = "khoa-bi-mat-kiem-toan-dau-moi", newSecret = "khoa-bi-mat-moi-kiem-toan-2";
        var unit = platform.CommuneB1;
        using var officer = platform.Notification.As(AntqRoles.CommuneOfficer, unit, officerName);
        using var admin = platform.Notification.As(AntqRoles.Admin, "BCA", adminName);

        await AssertOkAsync(officer.PutAsJsonAsync($"/api/contact-points/{unit}",
            new { emails = new[] { "doi.an.ninh@example.vn" }, webhookUrl = "https://sms.example.vn/antq", webhookSecret = secret }), "creating a contact point");
        // Refused (a webhook at the cloud metadata address): not an act, nothing in the trail.
        using (var refused = await admin.PutAsJsonAsync($"/api/contact-points/{unit}", new { webhookUrl = "http://169.254.169.254/latest/meta-data/", webhookSecret = newSecret }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await AssertOkAsync(admin.PutAsJsonAsync($"/api/contact-points/{unit}",
            new { emails = new[] { "doi.an.ninh@example.vn" }, webhookUrl = "https://sms.example.vn/antq", webhookSecret = newSecret }), "changing the secret");

        // Another test of this fixture may have set the unit's contact point before (then the officer's act is a change).
        List<JsonElement> trail = [];
        bool By(JsonElement e, string actor) => e.GetProperty("actor").GetString() == actor;
        await SecurityPlatform.Eventually(async () => (trail = await TrailAsync($"subject=contact-point/{unit}")).Any(e => By(e, officerName)) && trail.Any(e => By(e, adminName)),
            "the contact point's changes never arrived");
        await Task.Delay(1000);
        trail = await TrailAsync($"subject=contact-point/{unit}");
        var byOfficer = Assert.Single(trail, e => By(e, officerName));
        var byAdmin = Assert.Single(trail, e => By(e, adminName));
        Assert.Contains(byOfficer.GetProperty("action").GetString(), new[] { "contact-point.created", "contact-point.changed" });
        Assert.Equal("contact-point.changed", byAdmin.GetProperty("action").GetString());
        Assert.All(trail, e => Assert.Equal("notification", e.GetProperty("service").GetString()));
        Assert.Contains("webhook: (không có) → https://sms.example.vn/antq", byOfficer.GetProperty("detail").GetString());
        Assert.Contains("khóa bí mật: đã đặt", byOfficer.GetProperty("detail").GetString());
        Assert.Equal("khóa bí mật: đã thay", byAdmin.GetProperty("detail").GetString());
        Assert.All(trail, e => Assert.DoesNotContain("kiem-toan", e.GetRawText()));
    }

    [Fact]
    public async Task A_refused_act_leaves_nothing_in_the_trail()
    {
        const string refusedActor = "quan.tri.bi.tu.choi";
        using var admin = platform.Reporting.As(AntqRoles.Admin, SecurityPlatform.ProvinceA, refusedActor);
        using var officer = platform.Reporting.As(AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA, refusedActor);
        using var planAdmin = platform.Plan.As(AntqRoles.Admin, SecurityPlatform.ProvinceA, refusedActor);

        using var broken = await admin.PutAsync("/api/indicators/catalogue", Json("""{"version":"2026.9-hong","indicators":[]}"""));
        using var forbidden = await officer.PostAsync($"/api/rollups/{SecurityPlatform.Period}/recompute", null);
        using var badFile = await planAdmin.PostAsync("/api/org-units/import", Json("""[{"Code":null,"Wards":"x"}]"""));
        using var badYear = await planAdmin.PostAsync("/api/deadlines/recompute?year=1900", null);

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFile.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);

        // An act performed after them arrives; had the refusals written anything, it would have arrived before it.
        await AssertOkAsync(planAdmin.PostAsync($"/api/deadlines/recompute?year={SecurityPlatform.Year}", null), "recomputing deadlines");
        List<JsonElement> trail = [];
        await SecurityPlatform.Eventually(async () => (trail = await TrailAsync($"actor={refusedActor}")).Count > 0, "the act after the refusals never arrived");
        await Task.Delay(1000);
        trail = await TrailAsync($"actor={refusedActor}");
        Assert.Equal(["deadlines.recomputed"], trail.Select(e => e.GetProperty("action").GetString()));
    }
}
