using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DeviceRequests;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Devices.DeviceRequestWorld;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Devices;

/// <summary>
/// O19 (Omnicom's own policy file): the personal-device rule carries an agreement; the form shows its words with an
/// "I agree" tick, the API needs <c>"agreed": true</c>, and the request records who agreed, when and to what — shown on
/// the request's page and in the CSV export. A seed whose rule has no agreement (Wetherby, W3) is unaffected.
/// </summary>
public sealed class DeviceRequestAgreementTests
{
    private const string OmnicomAgreement =
        "This device is protected by a password, PIN or fingerprint and its storage is encrypted. I will keep school data on it only while I need it, report its loss or theft at once, and remove school data when asked or when I leave.";

    private const string OmnicomStaff = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        S01,Ruth,Okafor,r.okafor@omnicom.test,Headteacher,,staff,head,01/09/2015
        S02,Dan,Ives,d.ives@omnicom.test,Teacher,4I,staff,,01/09/2019
        """;

    /// <summary>O19: refused without the tick (service, API ProblemDetails naming the field and the agreement, the form's error summary); accepted with it and recorded.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O19_AgreementMustBeTicked_RefusedWithout_AcceptedWith_WhoAndWhenShownAndExported(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "omnicom-primary", staffCsv: OmnicomStaff);
        var dan = await PersonAsync(server, "omnicom-primary", p => p.ExternalId == "S02");
        var laptop = new NewDeviceRequest(dan.Id, "personal_device", "laptop", "Grey laptop", "Dell XPS 13", null, null, "Marking at home", ["passcode", "encrypted"]);

        // The service: without the tick nothing is stored, and the error names the field and quotes the agreement.
        var actor = await ActorAsync(server, "omnicom-primary", dan, "dan.service@omnicom.test", "teacher");
        var missing = await Should.ThrowAsync<InvalidException>(() => AskAsync(server, actor, laptop));
        missing.Field.ShouldBe("agreed");
        missing.Message.ShouldContain(OmnicomAgreement);
        missing.Message.ShouldContain("O19");
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync())).ShouldBe(0);
        var kept = await AskAsync(server, actor, laptop with { Agreed = true });
        kept.AgreementText.ShouldBe(OmnicomAgreement);
        kept.AgreementAcceptedBy.ShouldBe("Dan Ives");
        kept.AgreementAcceptedAt!.Value.ShouldBe(server.Clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        var stored = await DbAsync(server, db => db.Set<DeviceRequest>().AsNoTracking().SingleAsync(r => r.Id == kept.Id));
        stored.AgreementText.ShouldBe(OmnicomAgreement);
        stored.AgreementAcceptedAt.ShouldNotBeNull();

        // The form: the rule's words in a fieldset with an "I agree" tick; sent without it, an error summary links to the tick.
        await SignOwnAgreementsAsync(server, dan);
        var client = await SignInWithTwoFactorAsync(server, "d.ives@omnicom.test", "teacher", dan.Id, "omnicom-primary");
        var path = $"/devices/requests/new?for={dan.Id}&kind=personal_device";
        var (response, page) = await GetAsync(client, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#agreement legend")!.TextContent.ShouldContain("The school's agreement");
        page.QuerySelector("#agreement-text")!.TextContent.Trim().ShouldBe(OmnicomAgreement);
        var tick = page.QuerySelector("input#Agreed")!;
        tick.GetAttribute("type").ShouldBe("checkbox");
        tick.ParentElement!.TextContent.Trim().ShouldBe("I agree");
        // Two attestations: the form's hidden fields (the antiforgery token among them) and both ticks, posted as the browser would.
        List<KeyValuePair<string, string>> Fields(bool agree)
        {
            var fields = page.QuerySelectorAll("#request-form input[type=hidden]")
                .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
            fields.AddRange([new("DeviceKind", "tablet"), new("Description", "Silver tablet"), new("Reason", "Reading records at home"),
                new("Attestations", "passcode"), new("Attestations", "encrypted")]);
            if (agree)
            {
                fields.Add(new("Agreed", "true"));
            }

            return fields;
        }

        using var withoutTick = new FormUrlEncodedContent(Fields(agree: false));
        var refused = await client.PostAsync(path, withoutTick);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusedPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        refusedPage.QuerySelector(".error-summary a[href='#Agreed']")!.TextContent.ShouldContain("I agree");
        refusedPage.QuerySelector("input#Agreed")!.GetAttribute("aria-invalid").ShouldBe("true");
        refusedPage.QuerySelector("input#Agreed")!.GetAttribute("aria-describedby").ShouldBe("agreed-error");
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync())).ShouldBe(1);
        using var withTick = new FormUrlEncodedContent(Fields(agree: true));
        var sent = await client.PostAsync(path, withTick);
        sent.ShouldRedirectTo("/devices/requests/");
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync(r => r.AgreementText == OmnicomAgreement && r.AgreementAcceptedBy == "Dan Ives"))).ShouldBe(2);
    }

    /// <summary>O19 through the API: 400 ProblemDetails naming "agreed" and the agreement when missing or false; 201 with it, and the record shown on the page and in the CSV.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O19_ApiNeedsAgreedTrue_ProblemDetailsNamesTheField_RecordOnDetailPageAndCsv(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "omnicom-primary", staffCsv: OmnicomStaff);
        var ruth = await PersonAsync(server, "omnicom-primary", p => p.ExternalId == "S01");
        // The head asks for her own phone (the API is for staff who hold an API role; a teacher uses the form).
        await SignOwnAgreementsAsync(server, ruth);
        var client = await SignInWithTwoFactorAsync(server, "r.okafor@omnicom.test", "head", ruth.Id, "omnicom-primary");
        var (_, page) = await GetAsync(client, "/devices/requests/new");
        client.DefaultRequestHeaders.Add("RequestVerificationToken", page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!);

        object Body(bool? agreed) => agreed is null
            ? new { personId = ruth.Id, kind = "personal_device", deviceKind = "phone", description = "Blue phone", reason = "On call for trips", attestations = new[] { "passcode", "encrypted" } }
            : new { personId = ruth.Id, kind = "personal_device", deviceKind = "phone", description = "Blue phone", reason = "On call for trips", attestations = new[] { "passcode", "encrypted" }, agreed };

        foreach (var agreed in new bool?[] { null, false })
        {
            var refused = await client.PostAsJsonAsync("/api/v1/devices/requests/", Body(agreed));
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("field").GetString().ShouldBe("agreed");
            problem.GetProperty("detail").GetString()!.ShouldContain(OmnicomAgreement);
            problem.GetProperty("detail").GetString()!.ShouldContain("\"agreed\": true");
        }

        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync())).ShouldBe(0);
        var created = await client.PostAsJsonAsync("/api/v1/devices/requests/", Body(true));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("agreement").GetString().ShouldBe(OmnicomAgreement);
        json.GetProperty("agreedBy").GetString().ShouldBe("Ruth Okafor");
        var id = json.GetProperty("id").GetGuid();

        // "Agreed on dd/MM/yyyy by Ruth Okafor" on the request's page (the day in UK time) and in the CSV export.
        var today = UkFormat.ShortDate(server.Clock.GetUtcNow());
        var (_, detail) = await GetAsync(client, $"/devices/requests/{id}");
        detail.QuerySelector("#agreed")!.TextContent.ShouldBe($"Agreed on {today} by Ruth Okafor");
        detail.QuerySelector("#agreement blockquote")!.TextContent.Trim().ShouldBe(OmnicomAgreement);
        var csv = await (await client.GetAsync("/devices/requests?handler=csv")).Content.ReadAsStringAsync();
        csv.Split('\n')[0].ShouldContain("Agreement");
        csv.ShouldContain($"Agreed on {today} by Ruth Okafor");
    }

    /// <summary>Signs the school's agreements the person must sign themselves, so the portal lets them past its agreement gate.</summary>
    private static async Task SignOwnAgreementsAsync(BrightlineServer server, Person person)
    {
        await using var scope = server.CreateScope();
        var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
        foreach (var required in (await agreements.ForPersonAsync(person.SchoolId, person.Id, CancellationToken.None)).Where(r => r.NeedsSelf && !r.SelfSigned))
        {
            await agreements.SignAsync(new SignRequest(person.SchoolId, person.Id, person.Id, required.AgreementId, person.FullName, "Teacher", null, true,
                SignatureMethod.Portal, "127.0.0.1", "test"), CancellationToken.None);
        }
    }

    /// <summary>W3 (Wetherby): its rules carry no agreement, so a request needs no tick, "agreed" is ignored and nothing is recorded; the form shows no agreement.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task W3_RuleWithoutAgreement_Unaffected_AgreedIgnored_NothingRecorded(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "wetherby", """
            Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            W001,,Ava,Reid,Year 3,3R,01/09/2023,Sam Reid,sam.reid@parents.test,Mother
            """, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            T01,Jo,Penn,j.penn@wetherby.test,Teacher,3R,staff,,01/09/2019
            """);
        var ava = await PersonAsync(server, "wetherby", p => p.ExternalId == "W001");
        var teacher = await ActorAsync(server, "wetherby", await PersonAsync(server, "wetherby", p => p.ExternalId == "T01"), "j.penn@wetherby.test", "teacher");
        var watch = new NewDeviceRequest(ava.Id, "personal_device", "wearable", "Pink smart watch", null, null, null, "Medical alerts", null);

        var plain = await AskAsync(server, teacher, watch);
        plain.AgreementAcceptedAt.ShouldBeNull();
        plain.AgreementText.ShouldBeNull();
        var ticked = await AskAsync(server, teacher, watch with { Description = "Green smart watch", Agreed = true });
        ticked.AgreementAcceptedAt.ShouldBeNull("a rule without an agreement ignores the tick");
        ticked.AgreementAcceptedBy.ShouldBeNull();
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync(r => r.AgreementAcceptedAt != null || r.AgreementText != null))).ShouldBe(0);
        DeviceRequestCsv.Line(new DeviceRequestRow(plain, "Ava Reid")).ShouldNotContain("Agreed on");
    }
}
