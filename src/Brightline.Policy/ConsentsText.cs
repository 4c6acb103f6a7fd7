using System.Text;
using Brightline.Policy.Model;

namespace Brightline.Policy;

/// <summary>
/// The written policy's "Photographs and media" part (F11, C14), in plain UK English from the <c>consents:</c> section:
/// what parents are asked about their child, that the child's own verbal consent is asked where the policy says so, how
/// long an answer lasts, and the publication rules (first names only, never a home address).
/// </summary>
internal static class ConsentsText
{
    public static void Section(StringBuilder sb, SchoolPolicy policy)
    {
        var consents = policy.Consents;
        if (!consents.Stated)
        {
            return;
        }

        sb.Append("<section id=\"consents\" aria-labelledby=\"consents-h\"><h2 id=\"consents-h\">Photographs and media</h2>");
        sb.Append("<p>Parents and carers are asked, for each child, the questions below. An image of a child is used only where the answer in force is yes; a question not yet answered counts as no, and an answer can be withdrawn at any time.</p><ul class=\"rules\">");
        foreach (var q in consents.Questions)
        {
            sb.Append("<li><strong>").Append(Enc(ConsentChannels.Label(q.Channel))).Append(" — ").Append(Enc(PolicyRenderer.GroupNames(policy, q.Groups))).Append(":</strong> ")
              .Append(Enc(q.Text));
            if (q.ChildVerbal)
            {
                sb.Append(" The child's own verbal consent is also asked and recorded by staff; both are needed.");
            }

            sb.Append(q.Renew == ConsentRenewal.Yearly ? " Asked again each academic year." : " The answer stands until it is changed.");
            if (q.Requirement is { } id)
            {
                sb.Append(" <span class=\"rule-id\">[").Append(Enc(id)).Append("]</span>");
            }

            sb.Append("</li>");
        }

        sb.Append("</ul>");
        var rules = new List<string>();
        if (consents.FirstNamesOnly == true)
        {
            rules.Add("children are named by their first name only (never a surname)");
        }

        if (consents.HomeAddress == "never")
        {
            rules.Add("nothing published links a child to a home address");
        }

        if (rules.Count > 0)
        {
            sb.Append("<p>When the school publishes an image: ").Append(Enc(DevicesText.List(rules, "and"))).Append(". Staff consult the consent list before posting.</p>");
        }

        sb.Append("</section>");
    }

    private static string Enc(string text) => PolicyRenderer.Enc(text);
}
