using System.Globalization;
using System.Net;
using System.Text;
using Brightline.Policy.Model;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Brightline.Policy;

/// <summary>
/// Renders the written policy and agreement forms as accessible, printable HTML: lang="en-GB",
/// landmarks, headings in order, high-contrast colours, meaning never carried by colour alone, and
/// print CSS for A4 with each agreement form on its own page and ruled signature lines.
/// </summary>
public static class PolicyRenderer
{
    private static readonly CultureInfo _ukCulture = CultureInfo.GetCultureInfo("en-GB");

    // Raw HTML in a policy file is shown as text, never passed through: a policy is data, not markup.
    private static readonly MarkdownPipeline _markdown = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    private const string Css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 1.05rem; line-height: 1.55; color: #1b1b1b; background: #ffffff; margin: 0; }
        .table-scroll { overflow-x: auto; }
        .skip { position: absolute; left: -10000px; }
        .skip:focus { left: 1rem; top: 1rem; background: #ffffff; color: #0b4f8a; padding: .5rem; outline: 3px solid #0b4f8a; }
        header.site, footer.site { padding: .75rem 1.5rem; border-bottom: 1px solid #6b6b6b; }
        footer.site { border-top: 1px solid #6b6b6b; border-bottom: 0; color: #3d3d3d; font-size: .9rem; }
        main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        a { color: #0b4f8a; text-decoration: underline; }
        a:focus { outline: 3px solid #0b4f8a; outline-offset: 2px; }
        h1 { font-size: 1.9rem; line-height: 1.2; margin: 1rem 0 .5rem; }
        h2 { font-size: 1.45rem; margin-top: 2rem; border-bottom: 2px solid #1b1b1b; padding-bottom: .2rem; }
        h3 { font-size: 1.2rem; margin-top: 1.5rem; }
        dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; }
        dl.cover dt { font-weight: 700; }
        dl.cover dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #6b6b6b; padding: .4rem .6rem; text-align: left; vertical-align: top; }
        th { background: #eeeeee; }
        .rule-id { font-family: Consolas, "Courier New", monospace; font-size: .85em; color: #3d3d3d; white-space: nowrap; }
        .applies { display: block; font-size: .9em; color: #3d3d3d; }
        ol.rules li, ul.rules li { margin-bottom: .5rem; }
        .pupil-form ol.rules { font-size: 1.25rem; line-height: 1.6; }
        .note { border-left: 6px solid #0b4f8a; background: #f2f6fa; padding: .6rem .9rem; margin: 1rem 0; }
        .affirmation { font-weight: 700; margin: 1.25rem 0; }
        .signatures { margin-top: 1.5rem; }
        .signature-block { border: 2px solid #1b1b1b; padding: .75rem 1rem; margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
        .signature-block h3, .signature-block h4 { margin-top: 0; }
        .line { display: flex; align-items: flex-end; gap: .75rem; margin: 1.1rem 0 .3rem; }
        .line .label { white-space: nowrap; font-weight: 600; }
        .line .blank { flex: 1; border-bottom: 1px solid #1b1b1b; min-height: 1.6rem; }
        .tick { display: inline-block; width: 1.1rem; height: 1.1rem; border: 2px solid #1b1b1b; vertical-align: middle; margin-right: .5rem; }
        .form { margin-top: 2rem; }
        nav.toc ol { padding-left: 1.25rem; }
        @page { size: A4; margin: 18mm 16mm; }
        @media print {
          body { font-size: 11pt; }
          header.site, footer.site, nav.toc, .skip { display: none; }
          main { max-width: none; padding: 0; }
          a { color: #000000; text-decoration: none; }
          .form + .form, .agreement-summary { break-before: page; page-break-before: always; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          .note { background: none; }
        }
        """;

    /// <summary>A complete HTML document of the written policy, with print CSS.</summary>
    public static string PolicyDocument(SchoolPolicy policy)
    {
        var nav = new StringBuilder();
        nav.Append("<nav class=\"toc\" aria-label=\"Contents\"><p><strong>Contents</strong></p><ol>");
        foreach (var section in policy.Sections)
        {
            nav.Append("<li><a href=\"#section-").Append(Attr(section.Id)).Append("\">").Append(Enc(section.Title)).Append("</a></li>");
        }

        nav.Append("<li><a href=\"#rules\">Rules</a></li>");
        if (policy.Devices.Stated.Count > 0)
        {
            nav.Append("<li><a href=\"#devices\">Devices</a></li>");
        }

        if (policy.Consents.Stated)
        {
            nav.Append("<li><a href=\"#consents\">Photographs and media</a></li>");
        }

        if (policy.Agreements.Count > 0)
        {
            nav.Append("<li><a href=\"#agreements\">Agreements</a></li>");
        }

        nav.Append("</ol></nav>");
        var title = $"{policy.Policy.Title} — {policy.School.Name}";
        return Page(policy, title, nav + PolicyFragment(policy));
    }

    /// <summary>The policy's body (an &lt;article&gt;) for embedding in a portal page.</summary>
    public static string PolicyFragment(SchoolPolicy policy)
    {
        var sb = new StringBuilder();
        sb.Append("<article class=\"bl-policy\" aria-labelledby=\"policy-title\">");
        Cover(sb, policy);

        foreach (var section in policy.Sections)
        {
            sb.Append("<section id=\"section-").Append(Attr(section.Id)).Append("\" aria-labelledby=\"section-").Append(Attr(section.Id)).Append("-h\">");
            sb.Append("<h2 id=\"section-").Append(Attr(section.Id)).Append("-h\">").Append(Enc(section.Title)).Append("</h2>");
            sb.Append(Markdown(section.Body, 2));
            if (section.Rules.Count > 0)
            {
                sb.Append("<ul class=\"rules\">");
                foreach (var id in section.Rules)
                {
                    if (policy.FindRule(id) is { } rule)
                    {
                        sb.Append("<li>").Append(Enc(rule.Text)).Append(" <a class=\"rule-id\" href=\"#rule-").Append(Attr(rule.Id)).Append("\">[").Append(Enc(rule.Id)).Append("]</a></li>");
                    }
                }

                sb.Append("</ul>");
            }

            sb.Append("</section>");
        }

        RulesSection(sb, policy);
        DevicesText.Section(sb, policy);
        ConsentsText.Section(sb, policy);
        AgreementsSection(sb, policy);

        if (policy.Policy.RelatedPolicies.Count > 0)
        {
            sb.Append("<section aria-labelledby=\"related-h\"><h2 id=\"related-h\">Related policies</h2><ul>");
            foreach (var related in policy.Policy.RelatedPolicies)
            {
                sb.Append("<li>").Append(Enc(related)).Append("</li>");
            }

            sb.Append("</ul></section>");
        }

        sb.Append("</article>");
        return sb.ToString();
    }

    /// <summary>A complete, printable agreement form with signature blocks for its signers and fields.</summary>
    public static string AgreementDocument(SchoolPolicy policy, Agreement agreement)
    {
        var sb = new StringBuilder();
        var pupilForm = agreement.Audience.Any(g => policy.FindGroup(g)?.Kind == PersonKind.Pupil);
        sb.Append("<article class=\"bl-agreement").Append(pupilForm ? " pupil-form" : "").Append("\" aria-labelledby=\"agreement-title\">");
        sb.Append("<header>");
        sb.Append("<p>").Append(Enc(policy.School.Name)).Append(" · ").Append(Enc(policy.Policy.Title)).Append(", version ").Append(Enc(policy.Policy.Version)).Append("</p>");
        sb.Append("<h1 id=\"agreement-title\">").Append(Enc(agreement.Title)).Append("</h1>");
        sb.Append("<dl class=\"cover\">");
        if (agreement.Appendix is { Length: > 0 } appendix)
        {
            Dt(sb, "Appendix", appendix);
        }

        Dt(sb, "For", GroupNames(policy, agreement.Audience));
        Dt(sb, "Signed by", SignersText(agreement.Signers));
        Dt(sb, "Renewal", RenewalText(agreement));
        if (agreement.Withholds.Count > 0)
        {
            Dt(sb, "Until signed", WithholdsText(agreement.Withholds));
        }

        sb.Append("</dl></header>");

        if (agreement.Acknowledgement is { } ack)
        {
            sb.Append("<p class=\"note\"><strong>").Append(Enc(FrequencyText(ack.Every))).Append(":</strong> ").Append(Enc(ack.Text)).Append("</p>");
        }

        // One form per distinct wording: Reception and Year 1 may read different words for the same rules.
        foreach (var (groups, wordingGroup) in Forms(policy, agreement))
        {
            sb.Append("<section class=\"form\" aria-labelledby=\"form-").Append(Attr(wordingGroup ?? "all")).Append("\">");
            sb.Append("<h2 id=\"form-").Append(Attr(wordingGroup ?? "all")).Append("\">Agreement for ").Append(Enc(GroupNames(policy, groups))).Append("</h2>");
            sb.Append(AgreementFragment(policy, agreement, wordingGroup));
            SignatureBlocks(sb, policy, agreement, wordingGroup ?? "all");
            sb.Append("</section>");
        }

        sb.Append("</article>");
        return Page(policy, $"{agreement.Title} — {policy.School.Name}", sb.ToString());
    }

    /// <summary>The agreement's text (intro, rules in the wording for <paramref name="groupId"/>, affirmation), without signature blocks.</summary>
    public static string AgreementFragment(SchoolPolicy policy, Agreement agreement, string? groupId = null)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"bl-agreement-text\">");
        if (agreement.Intro.Length > 0)
        {
            sb.Append(Markdown(agreement.Intro, 3));
        }

        sb.Append("<ol class=\"rules\">");
        foreach (var rule in AgreementText.RulesOf(policy, agreement))
        {
            // Issue 17, defect 3: children and parents sign this text, so the rule's ID is not shown ("[pupil-supervised]"
            // means nothing to them); it stays in the markup for anyone who needs to cite it. The written policy keeps it.
            sb.Append("<li id=\"").Append(Attr(agreement.Id)).Append('-').Append(Attr(groupId ?? "all")).Append('-').Append(Attr(rule.Id))
              .Append("\" data-rule=\"").Append(Attr(rule.Id)).Append("\">")
              .Append(Enc(WordingFor(rule, agreement, groupId)))
              .Append("</li>");
        }

        sb.Append("</ol>");
        sb.Append("<p class=\"affirmation\">").Append(Enc(agreement.Affirmation)).Append("</p>");
        if (agreement.Signers is Signers.Parent or Signers.Both && agreement.ParentAffirmation is { Length: > 0 } parent)
        {
            sb.Append("<p class=\"affirmation parent-affirmation\"><strong>Parent or carer:</strong> ").Append(Enc(parent)).Append("</p>");
        }

        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary>An index page linking the written policy and every agreement form (for <c>policy render</c>).</summary>
    public static string Index(SchoolPolicy policy)
    {
        var sb = new StringBuilder();
        sb.Append("<h1 id=\"index-title\">").Append(Enc(policy.School.Name)).Append("</h1>");
        sb.Append("<p>").Append(Enc(policy.Policy.Title)).Append(", version ").Append(Enc(policy.Policy.Version)).Append(". Next review ").Append(Enc(Uk(policy.Policy.NextReview))).Append(".</p>");
        sb.Append("<h2>Documents</h2><ul>");
        sb.Append("<li><a href=\"policy.html\">").Append(Enc(policy.Policy.Title)).Append("</a> (the written policy)</li>");
        foreach (var agreement in policy.Agreements)
        {
            sb.Append("<li><a href=\"agreement-").Append(Attr(agreement.Id)).Append(".html\">").Append(Enc(agreement.Title)).Append("</a> — for ")
              .Append(Enc(GroupNames(policy, agreement.Audience))).Append("</li>");
        }

        sb.Append("</ul>");
        return Page(policy, $"{policy.School.Name} — policy documents", sb.ToString());
    }

    /// <summary>The words a member of <paramref name="groupId"/> reads for a rule in this agreement.</summary>
    internal static string WordingFor(Rule rule, Agreement agreement, string? groupId)
    {
        if (groupId is not null && rule.Wording.TryGetValue(groupId, out var own))
        {
            return own;
        }

        // A rule worded for Year 1 suits Reception better than the adult text does, so borrow the
        // wording of another group signing the same agreement before falling back.
        foreach (var other in agreement.Audience)
        {
            if (rule.Wording.TryGetValue(other, out var wording))
            {
                return wording;
            }
        }

        return rule.Text;
    }

    private static List<(List<string> Groups, string? WordingGroup)> Forms(SchoolPolicy policy, Agreement agreement)
    {
        var rules = AgreementText.RulesOf(policy, agreement);
        var forms = new List<(List<string> Groups, string? WordingGroup, string Key)>();
        foreach (var group in agreement.Audience)
        {
            var key = string.Join('\n', rules.Select(r => WordingFor(r, agreement, group)));
            var existing = forms.FindIndex(f => string.Equals(f.Key, key, StringComparison.Ordinal));
            if (existing >= 0)
            {
                forms[existing].Groups.Add(group);
            }
            else
            {
                forms.Add(([group], group, key));
            }
        }

        return forms.Count == 0 ? [([], null)] : forms.Select(f => (f.Groups, (string?)f.WordingGroup)).ToList();
    }

    private static void SignatureBlocks(StringBuilder sb, SchoolPolicy policy, Agreement agreement, string formId)
    {
        var pupils = agreement.Audience.Any(g => policy.FindGroup(g)?.Kind == PersonKind.Pupil);
        sb.Append("<section class=\"signatures\" aria-labelledby=\"sig-").Append(Attr(formId)).Append("\">");
        sb.Append("<h3 id=\"sig-").Append(Attr(formId)).Append("\">Signatures</h3>");
        Questions(sb, agreement);
        if (agreement.ParentSignsFor.Count > 0)
        {
            // W6: "sign, and/or have a parent/guardian sign on their behalf" (Wetherby's EYFS children).
            var names = agreement.ParentSignsFor.Select(g => policy.FindGroup(g)?.Name ?? g);
            sb.Append("<p class=\"on-behalf\">").Append(Enc($"{string.Join(" and ", names)}: a parent or carer signs on the child's behalf; the child does not sign.")).Append("</p>");
        }

        switch (agreement.Signers)
        {
            case Signers.Self:
                SignerBlock(sb, pupils ? "Pupil" : "Signed by", agreement.Fields, signerIsChild: pupils, forChild: false);
                break;
            case Signers.Parent:
                SignerBlock(sb, "Child", agreement.Fields.Where(f => f is SignatureField.FullName or SignatureField.Class).ToList(), signerIsChild: true, forChild: true, signs: false);
                ParentBlock(sb);
                break;
            case Signers.Both:
                SignerBlock(sb, "Pupil", agreement.Fields, signerIsChild: true, forChild: false);
                ParentBlock(sb);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(agreement), agreement.Signers, "Unknown signers.");
        }

        sb.Append("</section>");
    }

    private static void SignerBlock(StringBuilder sb, string who, IReadOnlyList<SignatureField> fields, bool signerIsChild, bool forChild, bool signs = true)
    {
        sb.Append("<div class=\"signature-block\" role=\"group\" aria-label=\"").Append(Attr(who)).Append("\">");
        sb.Append("<h4>").Append(Enc(who)).Append("</h4>");
        foreach (var field in fields)
        {
            switch (field)
            {
                case SignatureField.FullName:
                    Line(sb, forChild ? "Child's full name" : signerIsChild ? "My name" : "Full name");
                    break;
                case SignatureField.JobTitle:
                    Line(sb, "Job title");
                    break;
                case SignatureField.Class:
                    Line(sb, "Class");
                    break;
                case SignatureField.Organisation:
                    Line(sb, "Organisation");
                    break;
                case SignatureField.ChildName:
                    Line(sb, "Name of child");
                    break;
                case SignatureField.Date:
                case SignatureField.TeacherPresent:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(fields), field, "Unknown signature field.");
            }
        }

        if (signs)
        {
            Line(sb, "Signature");
            if (fields.Contains(SignatureField.Date))
            {
                Line(sb, "Date");
            }

            if (fields.Contains(SignatureField.TeacherPresent))
            {
                sb.Append("<p><span class=\"tick\" aria-hidden=\"true\"></span>A teacher was present when I signed (teacher's initials: ________)</p>");
            }
        }

        sb.Append("</div>");
    }

    /// <summary>The agreement's questions (issue 15 part 4), answered when signing: Yes / No boxes or a line.</summary>
    private static void Questions(StringBuilder sb, Agreement agreement)
    {
        if (agreement.Questions.Count == 0)
        {
            return;
        }

        sb.Append("<ol class=\"questions\">");
        foreach (var question in agreement.Questions)
        {
            sb.Append("<li><p>").Append(Enc(question.Text));
            if (!question.Required)
            {
                sb.Append(" <span class=\"optional\">(optional)</span>");
            }

            sb.Append("</p>");
            if (question.Type == QuestionType.YesNo)
            {
                sb.Append("<p><span class=\"tick\" aria-hidden=\"true\"></span>Yes <span class=\"tick\" aria-hidden=\"true\"></span>No</p>");
            }
            else
            {
                Line(sb, "Answer");
            }

            sb.Append("</li>");
        }

        sb.Append("</ol>");
    }

    // The parent's affirmation is already printed with the agreement text above the signatures.
    private static void ParentBlock(StringBuilder sb)
    {
        sb.Append("<div class=\"signature-block\" role=\"group\" aria-label=\"Parent or carer\">");
        sb.Append("<h4>Parent or carer</h4>");
        Line(sb, "Parent or carer's name");
        Line(sb, "Signature");
        Line(sb, "Date");
        sb.Append("</div>");
    }

    private static void Line(StringBuilder sb, string label) =>
        sb.Append("<p class=\"line\"><span class=\"label\">").Append(Enc(label)).Append(":</span><span class=\"blank\"></span></p>");

    private static void Cover(StringBuilder sb, SchoolPolicy policy)
    {
        var school = policy.School;
        var meta = policy.Policy;
        sb.Append("<header class=\"cover\">");
        sb.Append("<p class=\"school\">").Append(Enc(school.Name)).Append("</p>");
        sb.Append("<h1 id=\"policy-title\">").Append(Enc(meta.Title)).Append("</h1>");
        sb.Append("<dl class=\"cover\">");
        Dt(sb, "School", school.Name);
        if (school.Urn is { } urn) { Dt(sb, "URN", urn); }
        if (school.Address is { } address) { Dt(sb, "Address", address); }
        if (school.LocalAuthority is { } la) { Dt(sb, "Local authority", la); }
        if (school.Trust is { } trust) { Dt(sb, "Trust", trust); }
        if (school.Website is { } web) { Dt(sb, "Website", web); }
        if (school.Email is { } email) { Dt(sb, "Email", email); }
        if (school.Phone is { } phone) { Dt(sb, "Telephone", phone); }
        Dt(sb, "Version", meta.Version);
        Dt(sb, "Owner", OwnerText(policy));
        Dt(sb, "Approved by", meta.Approver);
        if (meta.Approved is { } approved) { Dt(sb, "Approved on", Uk(approved)); }
        if (meta.Adopted is { } adopted) { Dt(sb, "Adopted", Uk(adopted)); }
        if (meta.LastReviewed is { } reviewed) { Dt(sb, "Last reviewed", Uk(reviewed)); }
        Dt(sb, "Next review", Uk(meta.NextReview));
        Dt(sb, "Review cycle", meta.ReviewEveryMonths % 12 == 0
            ? (meta.ReviewEveryMonths == 12 ? "every year" : $"every {meta.ReviewEveryMonths / 12} years")
            : $"every {meta.ReviewEveryMonths} months");
        sb.Append("</dl>");

        var holders = policy.Roles.All().ToList();
        if (holders.Count > 0)
        {
            sb.Append("<section aria-labelledby=\"roles-h\"><h2 id=\"roles-h\">Key people</h2>");
            // Each table scrolls in its own region on a phone rather than widening the page (issue 17 defect 5).
            sb.Append("<div class=\"table-scroll auto\" role=\"region\" aria-labelledby=\"roles-h\" tabindex=\"0\"><table><caption class=\"skip\">Named role holders</caption><thead><tr><th scope=\"col\">Role</th><th scope=\"col\">Name</th><th scope=\"col\">Contact</th></tr></thead><tbody>");
            foreach (var (role, holder) in holders)
            {
                var name = holder.Title is { } t ? $"{holder.Name} ({t})" : holder.Name;
                if (holder.Organisation is { } org)
                {
                    name += ", " + org;
                }

                var contact = string.Join(", ", new[] { holder.Email, holder.Phone }.OfType<string>());
                sb.Append("<tr><th scope=\"row\">").Append(Enc(RoleName(role))).Append("</th><td>").Append(Enc(name)).Append("</td><td>");
                if (holder.Email is { } mail)
                {
                    sb.Append("<a href=\"mailto:").Append(Attr(mail)).Append("\">").Append(Enc(mail)).Append("</a>");
                    if (holder.Phone is { } ph)
                    {
                        sb.Append(", ").Append(Enc(ph));
                    }
                }
                else
                {
                    sb.Append(Enc(contact));
                }

                sb.Append("</td></tr>");
            }

            sb.Append("</tbody></table></div></section>");
        }

        sb.Append("</header>");
    }

    private static void RulesSection(StringBuilder sb, SchoolPolicy policy)
    {
        sb.Append("<section id=\"rules\" aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Rules</h2>");
        sb.Append("<p>Every rule has an ID in square brackets. Agreements, block pages and incident records cite these IDs.</p>");
        foreach (var heading in policy.Rules.GroupBy(r => r.Heading ?? "Other rules", StringComparer.Ordinal))
        {
            sb.Append("<h3>").Append(Enc(heading.Key)).Append("</h3><ul class=\"rules\">");
            foreach (var rule in heading)
            {
                sb.Append("<li id=\"rule-").Append(Attr(rule.Id)).Append("\"><span class=\"rule-id\">[").Append(Enc(rule.Id)).Append("]</span> ").Append(Enc(rule.Text));
                sb.Append("<span class=\"applies\">Applies to: ").Append(Enc(rule.Audiences.Count == 0 ? "everyone" : GroupNames(policy, rule.Audiences))).Append("</span></li>");
            }

            sb.Append("</ul>");
        }

        sb.Append("</section>");
    }

    private static void AgreementsSection(StringBuilder sb, SchoolPolicy policy)
    {
        if (policy.Agreements.Count == 0)
        {
            return;
        }

        sb.Append("<section id=\"agreements\" aria-labelledby=\"agreements-h\"><h2 id=\"agreements-h\">Agreements</h2>");
        sb.Append("<div class=\"table-scroll auto\" role=\"region\" aria-labelledby=\"agreements-h\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">Agreement</th><th scope=\"col\">For</th><th scope=\"col\">Signed by</th><th scope=\"col\">Renewal</th><th scope=\"col\">Until signed</th></tr></thead><tbody>");
        foreach (var agreement in policy.Agreements)
        {
            var title = agreement.Appendix is { } appendix ? $"{agreement.Title} ({appendix})" : agreement.Title;
            sb.Append("<tr><th scope=\"row\">").Append(Enc(title)).Append("</th><td>").Append(Enc(GroupNames(policy, agreement.Audience)))
              .Append("</td><td>").Append(Enc(SignersText(agreement.Signers))).Append("</td><td>").Append(Enc(RenewalText(agreement)))
              .Append("</td><td>").Append(Enc(agreement.Withholds.Count == 0 ? "nothing is withheld" : WithholdsText(agreement.Withholds))).Append("</td></tr>");
        }

        sb.Append("</tbody></table></div></section>");
    }

    private static string Page(SchoolPolicy policy, string title, string mainContent)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(Enc(title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
        sb.Append("<header class=\"site\" role=\"banner\"><p>").Append(Enc(policy.School.Name)).Append("</p></header>\n");
        sb.Append("<main id=\"main\">\n").Append(mainContent).Append("\n</main>\n");
        sb.Append("<footer class=\"site\" role=\"contentinfo\"><p>").Append(Enc(policy.Policy.Title)).Append(", version ").Append(Enc(policy.Policy.Version))
          .Append(". Next review ").Append(Enc(Uk(policy.Policy.NextReview))).Append(".</p></footer>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Markdown(string markdown, int headingOffset)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var document = Markdig.Markdown.Parse(markdown, _markdown);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            // Headings inside a section sit below the section's own heading, keeping the outline in order.
            heading.Level = Math.Min(6, heading.Level + headingOffset);
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url && !IsSafeUrl(url))
            {
                link.Url = "#";
            }
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        _markdown.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static bool IsSafeUrl(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return true;
        }

        var scheme = url[..colon];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }

    private static void Dt(StringBuilder sb, string term, string value) =>
        sb.Append("<dt>").Append(Enc(term)).Append("</dt><dd>").Append(Enc(value)).Append("</dd>");

    private static string OwnerText(SchoolPolicy policy)
    {
        var owner = policy.Policy.Owner;
        var holder = policy.Roles.All().FirstOrDefault(r => string.Equals(r.Role, owner, StringComparison.Ordinal)).Holder;
        return holder is null ? (IsRoleKey(owner) ? RoleName(owner) : owner) : $"{RoleName(owner)} ({holder.Name})";
    }

    private static bool IsRoleKey(string value) => value is RoleKeys.Dsl or RoleKeys.DeputyDsl or RoleKeys.Head or RoleKeys.ComputingLead
        or RoleKeys.BusinessManager or RoleKeys.ItProvider or RoleKeys.ChairOfGovernors or RoleKeys.Bursar;

    internal static string RoleName(string role) => role switch
    {
        RoleKeys.Dsl => "Designated Safeguarding Lead",
        RoleKeys.DeputyDsl => "Deputy Designated Safeguarding Lead",
        RoleKeys.Head => "Headteacher",
        RoleKeys.ComputingLead => "Computing Lead / ICT Coordinator",
        RoleKeys.BusinessManager => "School Business Manager",
        RoleKeys.ItProvider => "IT provider",
        RoleKeys.ChairOfGovernors => "Chair of Governors",
        RoleKeys.Bursar => "Bursar",
        _ => role,
    };

    internal static string GroupNames(SchoolPolicy policy, IEnumerable<string> ids)
    {
        var names = ids.Select(id => policy.FindGroup(id)?.Name ?? id).ToList();
        return names.Count switch
        {
            0 => "everyone",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
        };
    }

    private static string SignersText(Signers signers) => signers switch
    {
        Signers.Self => "the person themselves",
        Signers.Parent => "a parent or carer, on the child's behalf",
        Signers.Both => "the pupil and a parent or carer",
        _ => throw new ArgumentOutOfRangeException(nameof(signers), signers, "Unknown signers."),
    };

    private static string RenewalText(Agreement agreement)
    {
        var renewal = agreement.Renewal switch
        {
            Renewal.AcademicYear => "signed again at the start of each academic year",
            Renewal.OnChange => "signed again when its wording changes",
            Renewal.Once => "signed once",
            _ => throw new ArgumentOutOfRangeException(nameof(agreement), agreement.Renewal, "Unknown renewal."),
        };
        var joiners = agreement.JoinerDeadlineDays == 0
            ? "new joiners sign before they start"
            : $"new joiners sign within {agreement.JoinerDeadlineDays} days of starting";
        return $"{renewal}; {joiners}";
    }

    private static string WithholdsText(IReadOnlyList<AccessKind> withholds)
    {
        var words = withholds.Select(w => w switch
        {
            AccessKind.Login => "a login",
            AccessKind.Network => "network access",
            AccessKind.Internet => "internet access",
            _ => throw new ArgumentOutOfRangeException(nameof(withholds), w, "Unknown access kind."),
        }).ToList();
        var list = words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " and " + words[^1];
        return $"no {list} until this agreement is signed";
    }

    private static string FrequencyText(AcknowledgementFrequency every) => every switch
    {
        AcknowledgementFrequency.SignIn => "Asked at every sign-in",
        AcknowledgementFrequency.Day => "Asked once a day",
        AcknowledgementFrequency.Week => "Asked once a week",
        _ => throw new ArgumentOutOfRangeException(nameof(every), every, "Unknown frequency."),
    };

    private static string Uk(DateOnly date) => date.ToString("d MMMM yyyy", _ukCulture);

    internal static string Enc(string text) => WebUtility.HtmlEncode(text);

    private static string Attr(string text) => WebUtility.HtmlEncode(text);
}
