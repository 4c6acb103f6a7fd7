using System.Text;
using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.Incidents;

/// <summary>
/// The registers' list as CSV (every row the filter matches that this user may see, not just one page). It carries
/// what the list and a reporter may see — no outcomes, notes or the serious flag — plus the data-breach columns:
/// the ICO clock and, for an email sent in error, whether the personal data was in an attachment and whether that
/// was encrypted (F4).
/// </summary>
public static class IncidentCsv
{
    /// <summary>The most rows one export holds; a school needing more narrows the dates.</summary>
    public const int MaxRows = 10000;

    public static string Write(IReadOnlyList<IncidentRow> rows, Func<string, string> label)
    {
        var csv = new StringBuilder();
        csv.Append(SafeCsv.Line("Recorded", "Register", "Title", "People involved", "Status", "Recorded by", "Rules breached",
            "Breach discovered", "ICO decision due", "ICO decision recorded", "Email sent in error", "Personal data in an attachment", "Attachment encrypted", "Device"));
        foreach (var r in rows)
        {
            var i = r.Incident;
            csv.Append(SafeCsv.Line(
                UkFormat.ShortDateTime(i.CreatedAt), label(i.Kind), i.Title, string.Join("; ", r.People), i.Status.Describe(), i.CreatedBy,
                string.Join(", ", i.RuleIds),
                i.DiscoveredAt is { } d ? UkFormat.ShortDateTime(d) : "", i.DecisionDueAt is { } due ? UkFormat.ShortDateTime(due) : "",
                i.DecisionAt is { } at ? UkFormat.ShortDateTime(at) : "",
                i.MisdirectedEmail is null ? "" : "Yes",
                i.MisdirectedEmail is null ? "" : i.MisdirectedEmail == MisdirectedEmail.NoAttachment ? "No" : "Yes",
                Encrypted(i.MisdirectedEmail), i.DeviceDescription));
        }

        return csv.ToString();
    }

    /// <summary>F4: yes / no / not known for an attachment; blank when there was none.</summary>
    private static string Encrypted(MisdirectedEmail? value) => value switch
    {
        MisdirectedEmail.AttachmentEncrypted => "Yes",
        MisdirectedEmail.AttachmentNotEncrypted => "No",
        MisdirectedEmail.AttachmentEncryptionNotKnown => "Not known",
        MisdirectedEmail.NoAttachment or null => "",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a misdirected-email answer."),
    };
}
