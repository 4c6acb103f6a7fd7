using System.Net;
using System.Text;
using Brightline.Kernel;

namespace Brightline.Incidents;

/// <summary>
/// An incident's chronology as one self-contained, printable HTML document (inline style, no scripts, no external files),
/// which the portal prints to PDF (issue 17, export): the school, the incident, the people involved by name and the
/// timeline numbered as the incident's page numbers it, so "entry 3" means the same on paper and on screen. It holds only
/// what the <see cref="IncidentView"/> already lets this reader see.
/// </summary>
public static class IncidentChronology
{
    private const string Style = """
        @page { size: A4; margin: 18mm 16mm; }
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #000; line-height: 1.4; }
        h1 { font-size: 18pt; margin: 0 0 4pt; }
        h2 { font-size: 13pt; margin: 16pt 0 6pt; break-after: avoid; }
        .school { font-size: 12pt; margin: 0 0 10pt; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 12pt; margin: 0; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        ol.timeline li { margin-bottom: 8pt; break-inside: avoid; }
        ol.timeline p { margin: 0 0 2pt; white-space: pre-wrap; }
        .printed { margin-top: 18pt; font-size: 9pt; color: #333; }
        """;

    /// <param name="nameOf">Who an author is, by name where the school knows the account.</param>
    public static string Html(string schoolName, IncidentView view, Func<string, string> nameOf, DateTimeOffset printedAt, string printedBy)
    {
        var i = view.Incident;
        var number = view.Entries.Select((e, n) => (e.Id, N: n + 1)).ToDictionary(x => x.Id, x => x.N);
        var corrected = view.Entries.Where(e => e.CorrectsEntryId is not null).Select(e => e.CorrectsEntryId!.Value).ToHashSet();
        var isReader = view.Access == IncidentAccess.Reader;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>")
            .Append(H($"Chronology: {i.Title} — {schoolName}")).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<p class=\"school\">").Append(H(schoolName)).Append("</p>");
        html.Append("<h1>").Append(H(i.Title)).Append("</h1>");
        html.Append("<dl>");
        Row(html, "Register", view.Settings.Label);
        Row(html, "Status", i.Status.Describe() + (i.Serious && isReader ? " — serious or persistent" : ""));
        if (i.Outcome is not null && isReader)
        {
            Row(html, "Outcome", i.Outcome);
        }

        Row(html, "Recorded", $"{UkFormat.ShortDateTime(i.CreatedAt)} by {nameOf(i.CreatedBy)}");
        Row(html, "People involved", view.People.Count == 0 ? "—" : string.Join(", ", view.People.Select(p => p.FullName)));
        Row(html, "Rules breached", i.RuleIds.Count == 0 ? "—" : string.Join(", ", i.RuleIds));
        if (i.DeviceDescription is not null)
        {
            Row(html, "Device", i.DeviceDescription);
        }

        html.Append("</dl>");
        html.Append("<h2>Chronology</h2>");
        if (view.Entries.Count == 0)
        {
            html.Append("<p>Nothing in the timeline yet.</p>");
        }
        else
        {
            html.Append("<ol class=\"timeline\">");
            foreach (var e in view.Entries)
            {
                var corrects = e.CorrectsEntryId is { } c ? number.TryGetValue(c, out var n) ? $" — corrects entry {n}" : " — corrects an earlier entry" : "";
                html.Append("<li><p><strong>").Append(H(UkFormat.ShortDateTime(e.At))).Append("</strong>, ").Append(H(nameOf(e.Author)))
                    .Append(" — ").Append(H(e.Kind.Describe())).Append(e.Restricted ? " (restricted)" : "").Append(H(corrects)).Append("</p>")
                    .Append("<p>").Append(H(e.Text)).Append("</p>");
                if (corrected.Contains(e.Id))
                {
                    html.Append("<p><em>Corrected by a later entry.</em></p>");
                }

                html.Append("</li>");
            }

            html.Append("</ol>");
        }

        html.Append("<p class=\"printed\">Printed ").Append(H(UkFormat.ShortDateTime(printedAt))).Append(" by ").Append(H(printedBy))
            .Append(". Entries are never edited or deleted; a correction is a later entry that names the one it corrects.</p>");
        return html.Append("</body></html>").ToString();
    }

    private static void Row(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(H(term)).Append("</dt><dd>").Append(H(value)).Append("</dd>");

    private static string H(string? text) => WebUtility.HtmlEncode(text ?? "");
}
