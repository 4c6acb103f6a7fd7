using System.Text.Json;
using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

public sealed class PolicyFilesTests
{
    public static TheoryData<string> Files() => [.. RepoFiles.PolicyFiles().Select(Path.GetFileName).OfType<string>()];

    private static SchoolPolicy LoadPolicy(string file) =>
        PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), file);

    [Fact]
    public void PoliciesFolder_HoldsEverySeedSchoolAndTheExample()
    {
        RepoFiles.PolicyFiles().Select(Path.GetFileName).ShouldBe(
            ["example.yaml", "omnicom-primary.yaml", "st-clements.yaml", "westbrook-hay.yaml", "westfield.yaml", "wetherby.yaml"],
            ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_PublishedPolicy_HasNoErrors(string file)
    {
        var result = PolicyLoader.LoadFile(Path.Combine(RepoFiles.PoliciesDir, file));

        result.Errors.ShouldBeEmpty(string.Join('\n', result.Errors));
        result.Succeeded.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void PolicyFile_FirstLine_PointsEditorsAtTheSchema(string file)
    {
        File.ReadLines(Path.Combine(RepoFiles.PoliciesDir, file)).First()
            .ShouldBe("# yaml-language-server: $schema=./brightline-policy.schema.json");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Render_PublishedPolicy_ProducesAccessibleDocuments(string file)
    {
        var policy = LoadPolicy(file);

        var html = PolicyRenderer.PolicyDocument(policy);
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<html lang=\"en-GB\">");
        html.ShouldContain("<main id=\"main\">");
        html.ShouldContain(System.Net.WebUtility.HtmlEncode(policy.School.Name));
        html.ShouldContain("@page { size: A4;");
        foreach (var rule in policy.Rules)
        {
            html.ShouldContain($"id=\"rule-{rule.Id}\"");
        }

        foreach (var agreement in policy.Agreements)
        {
            var form = PolicyRenderer.AgreementDocument(policy, agreement);
            form.ShouldContain("<html lang=\"en-GB\">");
            form.ShouldContain("Signature:");
            HeadingLevels(form).ShouldNotBeEmpty();
            HeadingsNeverSkipALevel(form).ShouldBeTrue();

            var fragment = PolicyRenderer.AgreementFragment(policy, agreement);
            fragment.ShouldNotContain("<html");
            fragment.ShouldContain(System.Net.WebUtility.HtmlEncode(agreement.Affirmation));
        }

        HeadingsNeverSkipALevel(html).ShouldBeTrue();
    }

    [Fact]
    public void Westfield_StaffForm_AsksForFullNameAndJobTitle()
    {
        var policy = LoadPolicy("westfield.yaml");
        var staff = policy.FindAgreement("staff").ShouldNotBeNull();

        staff.Fields.ShouldBe([SignatureField.FullName, SignatureField.JobTitle, SignatureField.Date]);
        var html = PolicyRenderer.AgreementDocument(policy, staff);
        html.ShouldContain("Full name:");
        html.ShouldContain("Job title:");
        html.ShouldContain("Date:");
    }

    [Fact]
    public void Wetherby_Appendix1_HasPupilAndParentSignatureBlocks()
    {
        var policy = LoadPolicy("wetherby.yaml");
        var agreement = policy.Agreements.ShouldHaveSingleItem();

        agreement.Signers.ShouldBe(Signers.Both);
        agreement.Appendix.ShouldBe("Appendix 1");
        var html = PolicyRenderer.AgreementDocument(policy, agreement);
        html.ShouldContain("aria-label=\"Pupil\"");
        html.ShouldContain("aria-label=\"Parent or carer\"");
        html.ShouldContain("Parent or carer&#39;s name:");
        html.ShouldContain("including the list of prohibited content and activities listed in Appendix 2");
    }

    [Fact]
    public void Omnicom_HasItsFourAppendices()
    {
        var policy = LoadPolicy("omnicom-primary.yaml");

        policy.Agreements.Select(a => a.Appendix).ShouldBe(["Appendix 1", "Appendix 2", "Appendix 3", "Appendix 4"]);
        policy.FindAgreement("younger-pupils")!.Signers.ShouldBe(Signers.Both);
        policy.FindAgreement("older-pupils")!.Audience.ShouldBe(["upper_ks2"]);
        policy.FindAgreement("staff")!.Audience.ShouldBe(["staff", "governors", "volunteers", "contractors", "visitors"]);
        PolicyRenderer.AgreementDocument(policy, policy.FindAgreement("younger-pupils")!)
            .ShouldContain("I will not use chat rooms.");
    }

    [Fact]
    public void StClements_PupilForms_RenewYearlyAndAtInduction()
    {
        var policy = LoadPolicy("st-clements.yaml");

        foreach (var id in new[] { "ks1-pupil", "ks2-pupil" })
        {
            var agreement = policy.FindAgreement(id).ShouldNotBeNull();
            agreement.Renewal.ShouldBe(Renewal.AcademicYear);
            agreement.JoinerDeadlineDays.ShouldBe(0);
            agreement.Acknowledgement.ShouldNotBeNull().Every.ShouldBe(AcknowledgementFrequency.SignIn);
        }

        policy.FindAgreement("staff")!.Withholds.ShouldBe([AccessKind.Login]);
        PolicyRenderer.AgreementDocument(policy, policy.FindAgreement("ks1-pupil")!)
            .ShouldContain("I will ask a teacher if I want to use a computer or iPad.");
    }

    [Fact]
    public void WestbrookHay_Agreements_WithholdNetworkAndAskAtLogon()
    {
        var policy = LoadPolicy("westbrook-hay.yaml");

        policy.Agreements.ShouldAllBe(a => a.Withholds.Contains(AccessKind.Network));
        policy.FindAgreement("younger-pupils")!.Signers.ShouldBe(Signers.Parent);
        policy.FindAgreement("staff")!.Acknowledgement.ShouldNotBeNull();
    }

    [Fact]
    public void Example_KeepsTheIdsOtherFeaturesSeedFrom()
    {
        var policy = LoadPolicy("example.yaml");

        policy.School.Name.ShouldBe("Brightline Example Primary");
        policy.Groups.Select(g => g.Id).ShouldBe(
            ["reception", "ks1", "lower_ks2", "upper_ks2", "staff", "governors", "volunteers", "parents", "visitors", "students", "supply", "contractors"]);
        policy.Agreements.Select(a => a.Id).ShouldBe(["ks1-pupil", "ks2-pupil", "staff", "parent"]);
        policy.FindAgreement("ks1-pupil")!.Audience.ShouldBe(["reception", "ks1"]);
        policy.FindAgreement("ks1-pupil")!.Signers.ShouldBe(Signers.Parent);
        policy.FindAgreement("ks2-pupil")!.Signers.ShouldBe(Signers.Both);
        var staff = policy.FindAgreement("staff")!;
        staff.Withholds.ShouldBe([AccessKind.Login, AccessKind.Network, AccessKind.Internet]);
        staff.Fields.ShouldBe([SignatureField.FullName, SignatureField.JobTitle, SignatureField.Date]);
        staff.Acknowledgement!.Every.ShouldBe(AcknowledgementFrequency.SignIn);
        policy.FindAgreement("parent")!.Withholds.ShouldBeEmpty();
        policy.School.Calendar.TermContaining(new DateOnly(2026, 11, 25))!.Name.ShouldBe("Autumn 2026");
        policy.School.Calendar.AcademicYearLabel(new DateOnly(2026, 11, 25)).ShouldBe("2026/27");
        policy.Roles.Dsl.ShouldHaveSingleItem().Name.ShouldBe("Sarah Okafor");
        policy.Rules.Count.ShouldBeGreaterThanOrEqualTo(25);
    }

    [Fact]
    public void Schema_PublishedCopy_IsByteIdenticalToTheEmbeddedOne()
    {
        var published = File.ReadAllBytes(Path.Combine(RepoFiles.PoliciesDir, "brightline-policy.schema.json"));
        var source = File.ReadAllBytes(Path.Combine(RepoFiles.Root, "src", "Brightline.Policy", "Schema", "brightline-policy.schema.json"));

        published.ShouldBe(source);
        System.Text.Encoding.UTF8.GetString(source).ShouldBe(PolicySchema.Json);
    }

    [Fact]
    public void Schema_IsAValidDraft202012Schema()
    {
        var schema = Json.Schema.JsonSchema.FromText(PolicySchema.Json);

        schema.ShouldNotBeNull();
        using var doc = JsonDocument.Parse(PolicySchema.Json);
        doc.RootElement.GetProperty("$schema").GetString().ShouldBe("https://json-schema.org/draft/2020-12/schema");
    }

    [Fact]
    public void Schema_EveryProperty_HasADescription()
    {
        using var doc = JsonDocument.Parse(PolicySchema.Json);
        var missing = new List<string>();
        Walk(doc.RootElement, "#", missing);

        missing.ShouldBeEmpty();

        static void Walk(JsonElement schema, string path, List<string> missing)
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (!property.Value.TryGetProperty("description", out _))
                    {
                        missing.Add($"{path}/properties/{property.Name}");
                    }

                    Walk(property.Value, $"{path}/properties/{property.Name}", missing);
                }
            }

            foreach (var key in new[] { "items", "additionalProperties" })
            {
                if (schema.TryGetProperty(key, out var child))
                {
                    Walk(child, $"{path}/{key}", missing);
                }
            }

            if (schema.TryGetProperty("$defs", out var defs))
            {
                foreach (var def in defs.EnumerateObject())
                {
                    Walk(def.Value, $"{path}/$defs/{def.Name}", missing);
                }
            }
        }
    }

    public static TheoryData<string, string[]> SchemaEnums() => new()
    {
        { "#/$defs/group/properties/kind", [.. PolicyNames.All<PersonKind>()] },
        { "#/$defs/group/properties/phase", [.. PolicyNames.All<Phase>()] },
        { "#/$defs/rule/properties/kind", [.. PolicyNames.All<RuleKind>()] },
        { "#/$defs/agreement/properties/signers", [.. PolicyNames.All<Signers>()] },
        { "#/$defs/agreement/properties/renewal", [.. PolicyNames.All<Renewal>()] },
        { "#/$defs/agreement/properties/withholds/items", [.. PolicyNames.All<AccessKind>()] },
        { "#/$defs/agreement/properties/fields/items", [.. PolicyNames.All<SignatureField>()] },
        { "#/$defs/agreement/properties/acknowledgement/properties/every", [.. PolicyNames.All<AcknowledgementFrequency>()] },
        { "#/$defs/category", [.. FilterCategoryNames.All] },
        { "#/$defs/blocked_category", [FilterCategoryNames.Defaults, .. FilterCategoryNames.All] },
        { "#/$defs/filter_profile/properties/youtube", [.. PolicyNames.All<YouTubeRestriction>()] },
        { "#/$defs/filter_profile/properties/default", [.. PolicyNames.All<FilterDefault>()] },
        { "#/$defs/filter_schedule/properties/on", [.. PolicyNames.All<ScheduleDays>()] },
        { "#/$defs/filter_list/properties/format", [.. PolicyNames.All<FilterListFormat>()] },
        { "#/$defs/filter_dns/properties/blocked_answer", [.. PolicyNames.All<BlockedAnswer>()] },
        { "#/$defs/device_kind", [.. new DevicesPolicy().Kinds] },
        { "#/$defs/device_attestation", [.. DeviceAttestationKeys.All] },
        { "#/$defs/device_request_rule/properties/kind", [.. DeviceRequestKindKeys.All] },
        { "#/$defs/device_request_rule/properties/requesters/items", [.. DeviceRequesterKeys.All] },
    };

    [Theory]
    [MemberData(nameof(SchemaEnums))]
    public void Schema_Enums_MatchTheModel(string pointer, string[] expected)
    {
        using var doc = JsonDocument.Parse(PolicySchema.Json);
        var node = doc.RootElement;
        foreach (var part in pointer[2..].Split('/'))
        {
            node = node.GetProperty(part);
        }

        node.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(expected);
    }

    private static List<int> HeadingLevels(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<h([1-6])[ >]").Select(m => m.Groups[1].Value[0] - '0').ToList();

    private static bool HeadingsNeverSkipALevel(string html)
    {
        var previous = 0;
        foreach (var level in HeadingLevels(html))
        {
            if (level > previous + 1)
            {
                return false;
            }

            previous = level;
        }

        return true;
    }
}
