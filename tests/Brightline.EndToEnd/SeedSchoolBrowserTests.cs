using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Policies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Brightline.EndToEnd.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Brightline.EndToEnd.Infrastructure.PortalPages;

namespace Brightline.EndToEnd;

/// <summary>
/// Issue 15's new pages in a real browser, each seed school on its own policy file (policies/*.yaml): the forms filled and
/// sent as a user would, every page checked with axe-core (no serious or critical violation) on a phone-sized screen
/// (390 px), where nothing may scroll sideways except a table's own scrolling region.
/// </summary>
public sealed partial class SeedSchoolBrowserTests : BrowserTests
{
    /// <summary>
    /// Omnicom (omnicom-primary.yaml), as the headteacher: O17 the access rights register and "Report access granted in error";
    /// O3 an exemption request with its written agreement; O5 a request for new access; O11 "Device searched" and
    /// "Material deleted" on an incident's timeline.
    /// </summary>
    [Fact]
    public async Task Omnicom_O17_AccessRights_O3_Exemption_O5_AccessChange_O11_SearchAndDeletion_OnAPhone_AccessibilityClean()
    {
        const string school = "omnicom-primary";
        await using var server = await StartSchoolAsync(File.ReadAllText(PolicyPath("omnicom-primary.yaml")), "omnicom-primary.yaml", school, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            O001,Maya,Fenn,Year 3,3F,01/09/2023,Rosa Fenn,rosa.fenn@parents.test,Mother
            """, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            OS1,Dana,Price,d.price@omnicom.test,Class Teacher,3F,Staff,,01/09/2020
            OV1,Vera,Lamb,v.lamb@volunteers.test,Reading volunteer,,volunteer,,01/09/2025
            """);
        var dana = await PersonAsync(server, school, "OS1");
        var vera = await PersonAsync(server, school, "OV1");
        var maya = await PersonAsync(server, school, "O001");
        var key = await CreateAccountAsync(server, school, "head@omnicom.test", Portal.PortalRoles.Head);
        Guid incidentId;
        await using (var scope = server.CreateScope())
        {
            incidentId = (await scope.ServiceProvider.GetRequiredService<IncidentService>().CreateAsync(
                new NewIncident(school, IncidentKinds.Behaviour, "Upsetting images shared in class", [maya.Id], [], "Maya showed others images on a tablet.", "teacher@omnicom.test"),
                CancellationToken.None)).Id;
        }

        var violations = new List<string>();
        var page = await PhonePageAsync();
        await SignInAsync(page, server, "head@omnicom.test", key);

        // O17: the register, searched; Dana's row reports access granted in error.
        await page.GotoAsync(server.Url("/access-rights?q=price"));
        await Expect(page.Locator("#access-rights tbody tr")).ToHaveCountAsync(1);
        await CheckPageAsync(page, "access-rights", violations);
        await page.GetByRole(AriaRole.Link, new() { Name = "Report access granted in error for Dana Price" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Report access granted in error: Dana Price");
        await CheckPageAsync(page, "access-rights-report", violations);
        await page.GetByLabel("What was wrong (required)").FillAsync("She still has the office share from her time covering admissions.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Report it" }).ClickAsync();
        await Expect(page.Locator(".banner.ok")).ToContainTextAsync("recorded as a security incident");
        await Expect(page.Locator("#access-rights .open-report")).ToHaveCountAsync(1);
        await CheckPageAsync(page, "access-rights-reported", violations);

        // O3: an exemption, at the headteacher's discretion, with the policy's written agreement signed.
        await page.GotoAsync(server.Url("/approvals/new?type=exemption"));
        await Expect(page.Locator("fieldset legend")).ToHaveTextAsync("Written agreement");
        await CheckPageAsync(page, "approvals-new-exemption", violations);
        await page.GetByLabel("The rule you ask to be exempted from").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await ChoosePersonAsync(page, "Who it is for (leave empty for yourself)", dana);
        await page.GetByLabel("Reason (", new() { Exact = false }).FillAsync("Researching a class project on online games");
        await page.GetByLabel("I have read this agreement and I accept it").CheckAsync();
        await page.GetByLabel("Your full name, as your signature").FillAsync("Helen Head");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/approvals/[0-9a-f-]{36}$"));
        await Expect(page.Locator("dl.details")).ToContainTextAsync("Signed by Helen Head");
        await Expect(page.Locator("dl.details")).ToContainTextAsync("Dana Price");
        await CheckPageAsync(page, "approval-exemption", violations);

        // O5: new access for a volunteer, described rather than a portal role (she has no account).
        await page.GotoAsync(server.Url("/approvals/new?type=access_change"));
        await CheckPageAsync(page, "approvals-new-access-change", violations);
        await ChoosePersonAsync(page, "Who the access is for", vera);
        await page.GetByLabel("Other access needed", new() { Exact = false }).FillAsync("Network access on the reading-room laptop");
        await page.GetByLabel("Reason (", new() { Exact = false }).FillAsync("Starts reading sessions on Monday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/approvals/[0-9a-f-]{36}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("New access or changed permissions");
        await Expect(page.Locator("dl.details")).ToContainTextAsync("Network access on the reading-room laptop");
        await CheckPageAsync(page, "approval-access-change", violations);

        // O11: a device searched and material deleted, each its own timeline entry; an incomplete search is refused first.
        var incident = server.Url($"/incidents/{incidentId}");
        await page.GotoAsync(incident);
        await CheckPageAsync(page, "incident", violations);
        var search = page.Locator("#search-form");
        await search.GetByLabel("Which device", new() { Exact = false }).FillAsync("Maya's class iPad (blue case)");
        await search.GetByLabel("Searched by").FillAsync("Mrs Price");
        await search.GetByLabel("Date of the search").FillAsync("2026-11-25");
        await search.GetByLabel("Time of the search").FillAsync("09:30");
        await search.GetByLabel("What was found", new() { Exact = false }).FillAsync("Three screenshots of a classmate's messages.");
        await search.GetByRole(AriaRole.Button, new() { Name = "Record the search" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await CheckPageAsync(page, "incident-search-refused", violations);
        search = page.Locator("#search-form");
        await search.GetByLabel("Authorised by", new() { Exact = false }).FillAsync("Mr Jones, headteacher");
        await search.GetByRole(AriaRole.Button, new() { Name = "Record the search" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=search"));
        await Expect(page.Locator("main")).ToContainTextAsync("Maya's class iPad (blue case)");
        var deletion = page.Locator("#deletion-form");
        await deletion.GetByLabel("What was deleted", new() { Exact = false }).FillAsync("The three screenshots, from the iPad");
        await deletion.GetByLabel("Why it was deleted").FillAsync("They showed another pupil's private messages.");
        await deletion.GetByLabel("Authorised by", new() { Exact = false }).FillAsync("Mr Jones, headteacher");
        await deletion.GetByRole(AriaRole.Button, new() { Name = "Record the deletion" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=deletion"));
        await Expect(page.Locator("main")).ToContainTextAsync("The three screenshots, from the iPad");
        await CheckPageAsync(page, "incident-searched-and-deleted", violations);
        var kinds = await InDbAsync(server, db => db.Set<IncidentEntry>().AsNoTracking().Where(e => e.IncidentId == incidentId).Select(e => e.Kind).ToListAsync());
        kinds.ShouldContain(IncidentEntryKind.DeviceSearched);
        kinds.ShouldContain(IncidentEntryKind.MaterialDeleted);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// Wetherby (wetherby.yaml): W10 the ICT Coordinator reports a weakness on the policy's review page; W6 + issue 15 part 4,
    /// a parent signs the pupil agreement on behalf of her EYFS child (parent_signs_for), answering the agreement's questions
    /// (added to the seed's agreement here: the seed itself asks none), a required one refused first.
    /// </summary>
    [Fact]
    public async Task Wetherby_W10_WeaknessReport_W6_ParentSignsForHerEyfsChild_WithQuestions_OnAPhone_AccessibilityClean()
    {
        const string school = "wetherby";
        var yaml = File.ReadAllText(PolicyPath("wetherby.yaml"));
        var withQuestions = yaml.Replace("    requirements: [W6]\n", """
                requirements: [W6]
                questions:
                  - { id: photos, text: "May we share photos of your child's work on the class blog?", type: yes_no }
                  - { id: phone, text: Best telephone number, type: text, required: false }

            """.Replace("            ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        withQuestions.ShouldNotBe(yaml);
        await using var server = await StartSchoolAsync(withQuestions, "wetherby.yaml", school, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            W001,Isla,Grant,Reception,R Lime,01/09/2026,Jane Grant,jane.grant@parents.test,Mother
            """, null);
        var isla = await PersonAsync(server, school, "W001");
        var jane = await InDbAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.Email == "jane.grant@parents.test"));
        var ictKey = await CreateAccountAsync(server, school, "ict@wetherby.test", Portal.PortalRoles.ComputingLead);
        var janeKey = await CreateAccountAsync(server, school, "jane.grant@parents.test", Portal.PortalRoles.Parent, jane.Id);

        var violations = new List<string>();
        var ict = await PhonePageAsync();
        await SignInAsync(ict, server, "ict@wetherby.test", ictKey);
        await ict.GotoAsync(server.Url("/policy/review"));
        await CheckPageAsync(ict, "policy-review", violations);
        var weakness = ict.Locator("#weakness-form");
        await weakness.GetByLabel("Date it was found").FillAsync("2026-11-20");
        await weakness.GetByLabel("The weakness, and what would improve it").FillAsync("Pupils' tablets keep the guest Wi-Fi password; change it each term.");
        await weakness.GetByRole(AriaRole.Button, new() { Name = "Report the weakness" }).ClickAsync();
        await Expect(ict.Locator("#open-weaknesses li")).ToHaveCountAsync(1);
        await Expect(ict.Locator("#open-weaknesses")).ToContainTextAsync("guest Wi-Fi password");
        await Expect(ict.Locator(".banner.ok")).ToContainTextAsync("Recorded.");
        await CheckPageAsync(ict, "policy-review-weakness-reported", violations);

        var parent = await PhonePageAsync();
        await SignInAsync(parent, server, "jane.grant@parents.test", janeKey);
        await parent.GotoAsync(server.Url("/sign"));
        await CheckPageAsync(parent, "sign-list", violations);
        await parent.GetByRole(AriaRole.Link, new() { Name = "Read and sign Acknowledgement of ICT Usage Policy for Isla" }).ClickAsync();
        await Expect(parent.Locator("p.lead")).ToContainTextAsync("You are signing on Isla's behalf");
        await CheckPageAsync(parent, "sign-on-behalf", violations);
        // The required question left unanswered (the browser's own check switched off, as an older browser would): refused, with the reason at the question.
        await parent.GetByLabel("Your full name").FillAsync("Jane Grant");
        await parent.Locator("form.card").EvaluateAsync("form => form.noValidate = true");
        await parent.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await Expect(parent.Locator("#q-photos-error")).ToBeVisibleAsync();
        await CheckPageAsync(parent, "sign-on-behalf-unanswered", violations);
        await parent.Locator("#q-photos-yes").CheckAsync();
        await parent.GetByLabel("Best telephone number (optional)").FillAsync("01937 000000");
        await parent.GetByLabel("Your full name").FillAsync("Jane Grant");
        if (await parent.Locator("#ChildName").CountAsync() > 0 && await parent.Locator("select#ChildName").CountAsync() == 0)
        {
            await parent.GetByLabel("Name of child").FillAsync("Isla Grant");
        }

        await parent.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await parent.WaitForURLAsync(new Regex("/sign$"));
        await Expect(parent.Locator(".banner.ok")).ToContainTextAsync("nothing for you to sign");
        await CheckPageAsync(parent, "sign-list-done", violations);
        var signature = await InDbAsync(server, db => db.Signatures.AsNoTracking().SingleAsync(s => s.PersonId == isla.Id));
        signature.Capacity.ShouldBe(SignerCapacity.Parent);
        signature.SignerId.ShouldBe(jane.Id);
        Agreements.SignatureAnswers.Read(signature.Answers).ShouldBe(new Dictionary<string, string> { ["photos"] = "yes", ["phone"] = "01937 000000" });

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// Westfield (westfield.yaml), as the School Business Manager: F4, a data breach recorded as an email sent in error whose
    /// attachment was not encrypted; the incident page says so.
    /// </summary>
    [Fact]
    public async Task Westfield_F4_DataBreach_EmailSentInError_AttachmentNotEncrypted_OnAPhone_AccessibilityClean()
    {
        const string school = "westfield";
        await using var server = await StartSchoolAsync(File.ReadAllText(PolicyPath("westfield.yaml")), "westfield.yaml", school, null, null);
        var key = await CreateAccountAsync(server, school, "sbm@westfield.test", Portal.PortalRoles.BusinessManager);

        var violations = new List<string>();
        var page = await PhonePageAsync();
        await SignInAsync(page, server, "sbm@westfield.test", key);
        await page.GotoAsync(server.Url("/incidents/new"));
        await CheckPageAsync(page, "incidents-new", violations);
        await page.GetByLabel("Kind").SelectOptionAsync(IncidentKinds.DataBreach);
        await page.GetByLabel("Title", new() { Exact = false }).FillAsync("Class list sent to the wrong parent");
        await page.GetByLabel("What happened", new() { Exact = false }).FillAsync("The Year 4 class list with medical notes went to a parent outside the class.");
        await page.GetByLabel("Was it an email sent in error?", new() { Exact = false })
            .SelectOptionAsync(new SelectOptionValue { Label = "Email sent in error: the personal data was in an attachment that was not encrypted" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the incident" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/incidents/[0-9a-f-]{36}"));
        await Expect(page.Locator("#misdirected-email")).ToHaveTextAsync("Email sent in error: the personal data was in an attachment that was not encrypted");
        await Expect(page.Locator("#not-encrypted")).ToContainTextAsync("F4 asks that sensitive attachments are encrypted");
        await Expect(page.Locator("#ico-deadline")).ToContainTextAsync("Decide whether to report this breach to the ICO");
        await CheckPageAsync(page, "incident-data-breach", violations);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// St Clement's (st-clements.yaml), as the headteacher: C14 photo consent (the class list, a child's page with a paper
    /// answer and the child's verbal consent recorded, the publication check, the parent's answer link); C13 a sanction
    /// that tells parents, its letter sent again from the sanction's page; C16/issue 15 part 2, "my password may be
    /// compromised" and the forced change that follows. All on a phone.
    /// </summary>
    [Fact]
    public async Task StClements_C14_Consents_C13_SanctionLetter_CompromisedPasswordForcedChange_OnAPhone_AccessibilityClean()
    {
        const string school = "st-clements";
        await using var server = await StartSchoolAsync(File.ReadAllText(PolicyPath("st-clements.yaml")), "st-clements.yaml", school, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            A001,Amelia,Jones,Year 3,3 Oak,01/09/2023,Sarah Jones,sarah.jones@parents.test,Mother
            A002,Noah,Jones,Year 1,1 Ash,01/09/2025,Sarah Jones,sarah.jones@parents.test,Mother
            """, null);
        var amelia = await PersonAsync(server, school, "A001");
        var sarah = await InDbAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.Email == "sarah.jones@parents.test"));
        var key = await CreateAccountAsync(server, school, "head@stclements.test", Portal.PortalRoles.Head);

        var violations = new List<string>();
        var page = await PhonePageAsync();
        await SignInAsync(page, server, "head@stclements.test", key);

        // The class consent list.
        await page.GotoAsync(server.Url("/consents?class=3%20Oak"));
        await Expect(page.Locator("main")).ToContainTextAsync("Amelia Jones");
        await CheckPageAsync(page, "consents-class", violations);

        // A child's page: a paper answer and the child's own verbal consent recorded.
        await page.GotoAsync(server.Url($"/consents/children/{amelia.Id}"));
        await CheckPageAsync(page, "consents-child", violations);
        var paper = page.Locator("#paper-form");
        await paper.GetByLabel("Question").SelectOptionAsync("website-photos");
        await paper.GetByLabel("Yes").CheckAsync();
        await paper.GetByLabel("Note (optional)").FillAsync("Paper form returned 24/11/2026");
        await paper.GetByRole(AriaRole.Button, new() { Name = "Record the answer" }).ClickAsync();
        await Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(1);
        var verbal = page.Locator("#verbal-form");
        await verbal.GetByLabel("Question").SelectOptionAsync("website-photos");
        await verbal.GetByLabel("Yes").CheckAsync();
        await verbal.GetByRole(AriaRole.Button, new() { Name = "Record the child's answer" }).ClickAsync();
        await Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(2);
        await CheckPageAsync(page, "consents-child-recorded", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "Email Amelia's parents a link to answer" }).ClickAsync();
        await Expect(page.Locator(".banner.ok")).ToContainTextAsync("emailed a link to answer");

        // The publication check: Amelia on the website is allowed (parent and child said yes); on social media it is not.
        await page.GotoAsync(server.Url("/consents/check?class=3%20Oak"));
        await CheckPageAsync(page, "consents-check", violations);
        await page.GetByLabel("Amelia Jones").CheckAsync();
        await page.GetByLabel("Where it will appear").SelectOptionAsync("website");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Expect(page.Locator("#check-result")).ToContainTextAsync("Allowed");
        await CheckPageAsync(page, "consents-check-allowed", violations);
        await page.GetByLabel("Amelia Jones").CheckAsync();
        await page.GetByLabel("Where it will appear").SelectOptionAsync("social_media");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Expect(page.Locator("#check-result")).ToContainTextAsync("Not allowed");
        await CheckPageAsync(page, "consents-check-not-allowed", violations);

        // The parent's own link, opened without signing in: first names only, one answer per question.
        string token;
        await using (var scope = server.CreateScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<Consents.ConsentRegister>().CreateLinkAsync(school, sarah.Id, "e2e", CancellationToken.None);
        }

        var parent = await PhonePageAsync();
        await parent.GotoAsync(server.Url($"/consents/answer/{token}"));
        await Expect(parent.Locator("#answer-form h2")).ToHaveTextAsync(["Amelia", "Noah"]);
        await CheckPageAsync(parent, "consents-answer", violations);
        var questions = parent.Locator("#answer-form fieldset");
        for (var i = 0; i < await questions.CountAsync(); i++)
        {
            await questions.Nth(i).GetByLabel(i % 2 == 0 ? "Yes" : "No").CheckAsync();
        }

        await parent.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Expect(parent.Locator("h1")).ToHaveTextAsync("Thank you");
        await CheckPageAsync(parent, "consents-answered", violations);

        // C13: a sanction the policy tells parents about; its letter goes when confirmed and can be sent again.
        await page.GotoAsync(server.Url($"/sanctions/impose?person={amelia.Id}"));
        await CheckPageAsync(page, "sanctions-impose", violations);
        await page.Locator("#kind-parent_meeting_required").CheckAsync();
        await page.GetByLabel("Reason (required", new() { Exact = false }).FillAsync("Shared another pupil's photo in the class chat");
        await page.Locator("#Reason").Locator("xpath=ancestor::form").GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("the letter to parents is emailed to Amelia's parents when you confirm");
        await CheckPageAsync(page, "sanctions-impose-confirm", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and impose the sanction" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/sanctions/[0-9a-f-]{36}"));
        var letters = page.Locator("table", new() { Has = page.Locator("caption", new() { HasTextString = "Letters to Amelia's parents" }) }).Locator("tbody tr");
        await Expect(letters).ToHaveCountAsync(1);
        await Expect(letters.First).ToContainTextAsync("sarah.jones@parents.test");
        await CheckPageAsync(page, "sanction-letters", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the letter to parents again" }).ClickAsync();
        await Expect(letters).ToHaveCountAsync(2);
        (await InDbAsync(server, db => db.EmailOutbox.AsNoTracking().CountAsync(m => m.SchoolId == school && m.Recipient == "sarah.jones@parents.test" && m.Purpose == Sanctions.ParentLetters.Purpose)))
            .ShouldBeGreaterThanOrEqualTo(2);

        // "My password may be compromised": confirmed, nothing else opens until the password is changed.
        await page.GotoAsync(server.Url("/account/password"));
        await CheckPageAsync(page, "password-change", violations);
        await page.Locator("#compromised-link").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("My password may be compromised");
        await CheckPageAsync(page, "password-compromised", violations);
        await page.Locator("#confirm-compromised").ClickAsync();
        await Expect(page.Locator("#password-reason")).ToContainTextAsync("You said your password may be compromised");
        await CheckPageAsync(page, "password-forced-change", violations);
        await page.GotoAsync(server.Url("/consents"));
        await page.WaitForURLAsync(new Regex("/account/password"));
        await page.GetByLabel("Current password").FillAsync(Password);
        await page.Locator("#NewPassword").FillAsync("Kestrel-harbour-lantern-81");
        await page.GetByLabel("Type the new password again").FillAsync("Kestrel-harbour-lantern-81");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.Locator(".banner.ok")).ToContainTextAsync("Your password has been changed");
        await CheckPageAsync(page, "password-changed", violations);
        (await page.GotoAsync(server.Url("/consents")))!.Status.ShouldBe(200);
        page.Url.ShouldContain("/consents");

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    private static string PolicyPath(string file) => Path.Combine(RepositoryRoot.Path, "policies", file);

    /// <summary>A server on SQLite at the real time (two-factor codes are checked against it) with one seed school's policy and people.</summary>
    private static async Task<BrightlineServer> StartSchoolAsync(string yaml, string file, string school, string? pupilsCsv, string? staffCsv)
    {
        var server = await BrightlineServer.StartAsync(DatabaseProvider.Sqlite, now: DateTimeOffset.UtcNow,
            settings: new Dictionary<string, string?> { ["Brightline:Incidents:Worker"] = "false" });
        try
        {
            await using var scope = server.CreateScope();
            var sp = scope.ServiceProvider;
            await sp.GetRequiredService<PolicyStore>().LoadAsync(yaml, file, "e2e", CancellationToken.None);
            foreach (var (kind, csv) in new[] { (ImportKind.Pupils, pupilsCsv), (ImportKind.Staff, staffCsv) })
            {
                if (csv is not null)
                {
                    var report = await sp.GetRequiredService<PeopleImporter>().ImportAsync(school, new MemoryStream(Encoding.UTF8.GetBytes(csv)), kind, new ImportOptions(), "e2e", CancellationToken.None);
                    report.Errors.ShouldBeEmpty();
                }
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The approvals' people list is a type-ahead over its select (issue 17's person picker): type, move down, choose.</summary>
    private static async Task ChoosePersonAsync(IPage page, string label, Person person)
    {
        await page.GetByLabel(label).FillAsync(person.GivenName);
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = person.GivenName, Exact = false }).First).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("select#Subject")).ToHaveValueAsync(person.Id.ToString());
    }

    private static Task<Person> PersonAsync(BrightlineServer server, string school, string externalId) =>
        InDbAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.SchoolId == school && p.ExternalId == externalId));

    private static async Task<T> InDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> query)
    {
        await using var scope = server.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private async Task<IPage> PhonePageAsync()
    {
        // Bypassing CSP only lets the test inject axe-core; the pages themselves never need inline script.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true, Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        return await context.NewPageAsync();
    }

    /// <summary>Axe-core clean, and fits a 390 px phone (nothing scrolls sideways but a table's own region).</summary>
    private static async Task CheckPageAsync(IPage page, string name, List<string> violations)
    {
        await AccessibilityAsync(page, name, violations);
        await FitsWidthAsync(page, name, violations);
    }
}
