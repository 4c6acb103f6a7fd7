using System.Globalization;
using System.Text;
using Brightline.Policy.Model;

namespace Brightline.Policy;

/// <summary>
/// The written policy's "Devices" part (issue 14), in plain UK English from the <c>devices:</c> section: who may bring
/// what and who approves it, what must be attested, what school devices must have, when loans are due back, how long
/// found devices are held, who is told of a lost or stolen device, and what happens to leavers' equipment. Only the
/// parts the policy wrote are stated: a default the school never chose is not its policy.
/// </summary>
internal static class DevicesText
{
    public static void Section(StringBuilder sb, SchoolPolicy policy)
    {
        var devices = policy.Devices;
        if (devices.Stated.Count == 0)
        {
            return;
        }

        sb.Append("<section id=\"devices\" aria-labelledby=\"devices-h\"><h2 id=\"devices-h\">Devices</h2>");
        if (devices.States(DevicesPolicy.SectionKeys.Kinds))
        {
            sb.Append("<p>This policy covers ").Append(Enc(List(devices.Kinds.Select(KindWords).ToList(), "and"))).Append(", whether the school or the owner owns them.</p>");
        }

        if (devices.States(DevicesPolicy.SectionKeys.Requests) && devices.Requests.Count > 0)
        {
            sb.Append("<h3>Bringing devices into school</h3>");
            sb.Append("<p>Who may ask to bring a personal device or removable media into school, and who approves it:</p><ul class=\"rules\">");
            foreach (var rule in devices.Requests)
            {
                sb.Append("<li><strong>").Append(Enc(RequestKindWords(rule.Kind))).Append(" — ").Append(Enc(PolicyRenderer.GroupNames(policy, rule.Groups))).Append(":</strong> ")
                  .Append(Enc(RequestText(policy, rule))).Append(Requirement(rule.Requirement)).Append("</li>");
            }

            sb.Append("</ul>");
        }

        if (devices.States(DevicesPolicy.SectionKeys.SchoolDevices) && devices.SchoolDevices.Count > 0)
        {
            sb.Append("<h3>School devices</h3><ul class=\"rules\">");
            foreach (var rule in devices.SchoolDevices)
            {
                var text = $"School {List(rule.Kinds.Select(KindWords).ToList(), "and")} must {List(rule.Attestations.Select(MustBe).ToList(), "and")}.";
                sb.Append("<li>").Append(Enc(Sentence(text))).Append(Requirement(rule.Requirement)).Append("</li>");
            }

            sb.Append("</ul>");
        }

        if (devices.States(DevicesPolicy.SectionKeys.Loans))
        {
            sb.Append("<h3>Equipment on loan</h3><p>").Append(Enc(LoanText(policy))).Append(Requirement(devices.Loans.Requirement)).Append("</p>");
        }

        if (devices.States(DevicesPolicy.SectionKeys.LostProperty))
        {
            sb.Append("<h3>Lost property</h3><p>").Append(Enc(LostPropertyText(policy))).Append(Requirement(devices.LostProperty.Requirement)).Append("</p>");
        }

        if (devices.States(DevicesPolicy.SectionKeys.LostOrStolen))
        {
            sb.Append("<h3>Lost or stolen devices</h3><p>").Append(Enc(LostStolenText(policy))).Append(Requirement(devices.LostStolen.Requirement)).Append("</p>");
        }

        if (devices.States(DevicesPolicy.SectionKeys.Leavers))
        {
            sb.Append("<h3>Leaving or a long absence</h3><p>").Append(Enc(LeaversText(policy))).Append(Requirement(devices.Leavers.Requirement)).Append("</p>");
        }

        sb.Append("</section>");
    }

    internal static string RequestText(SchoolPolicy policy, DeviceRequestRule rule)
    {
        var what = rule.Kind == DeviceRequestKindKeys.RemovableMedia ? "removable media" : "a personal device";
        if (!rule.Allowed)
        {
            var refusal = $"may not bring in {what}.";
            return rule.RefusalReason is { Length: > 0 } reason ? $"{refusal} {Sentence(reason.TrimEnd('.'))}." : refusal;
        }

        var parts = new List<string>
        {
            $"a request is made by {List(rule.Requesters.Select(RequesterWords).ToList(), "or")} and approved by {List(rule.Approvers.Select(r => ApproverWords(policy, r)).ToList(), "or")}.",
        };
        var thing = rule.Kind == DeviceRequestKindKeys.RemovableMedia ? "The media" : "The device";
        if (rule.Attestations.Count > 0)
        {
            parts.Add($"{thing} must {List(rule.Attestations.Select(MustBe).ToList(), "and")} before it is approved.");
        }

        parts.Add($"An approval lasts {Span(rule.Duration)} and can be renewed in its last {Span(rule.RenewWithin)}.");
        // Only a grant is stated: without it the device is simply not registered on a network, and whether a person may
        // sign in on it elsewhere (H5's pupil Wi-Fi) is the network section's business, not this rule's.
        if (rule.Kind == DeviceRequestKindKeys.PersonalDevice && rule.NetworkAccess)
        {
            parts.Add("Once approved, the device may join the school network set aside for approved personal devices.");
        }

        if (rule.Forbidden.Count > 0)
        {
            parts.Add($"Never allowed: {List(rule.Forbidden, "and")}.");
        }

        if (rule.Agreement is { } agreement)
        {
            parts.Add($"The person asking agrees: \u201c{agreement}\u201d");
        }

        return string.Join(' ', parts);
    }

    private static string LoanText(SchoolPolicy policy)
    {
        var loans = policy.Devices.Loans;
        var dayEnd = policy.School.Calendar.DayEnds;
        var due = loans.DayEnd is { } at && at != dayEnd
            ? $"Equipment signed out on loan is due back by {Time(at)} on the day it is borrowed."
            : $"Equipment signed out on loan is due back at the end of the school day ({Time(dayEnd)}).";
        var returned = (loans.ReturnToSuite, loans.Charge) switch
        {
            (true, true) => " It is returned to the suite and put on charge.",
            (true, false) => " It is returned to the suite.",
            (false, true) => " It is put on charge.",
            _ => "",
        };
        var overdue = loans.OverdueNotify.Count > 0
            ? $" Equipment not returned in time is reported to {List(loans.OverdueNotify.Select(r => RoleWords(policy, r)).ToList(), "and")} at the end of the day."
            : "";
        return due + returned + overdue;
    }

    private static string LostPropertyText(SchoolPolicy policy)
    {
        var lost = policy.Devices.LostProperty;
        var hold = lost.HoldTerms is { } terms ? (terms == 1 ? "one term" : $"{terms} terms") : Days(lost.HoldDays);
        var text = $"A device found with no known owner is handed to {RoleWords(policy, lost.Custodian)} and held in lost property for up to {hold}; an unclaimed device is then disposed of.";
        if (lost.Remind.Count > 0)
        {
            text += $" {Sentence(List(lost.Remind.Select(r => RoleWords(policy, r)).ToList(), "and"))} {(lost.Remind.Count == 1 ? "is" : "are")} reminded when the time is up.";
        }

        return text;
    }

    private static string LostStolenText(SchoolPolicy policy)
    {
        var stolen = policy.Devices.LostStolen;
        var text = "Report the loss or theft of a school device, or of a personal device holding school data or accounts, at once";
        text += stolen.Notify.Count > 0 ? $": {List(stolen.Notify.Select(r => RoleWords(policy, r)).ToList(), "and")} {(stolen.Notify.Count == 1 ? "is" : "are")} told." : ".";
        if (policy.Incidents.Find(stolen.IncidentCategory) is { } register)
        {
            text += $" The report is recorded in the incident register \u201c{register.Label}\u201d.";
        }

        return text;
    }

    private static string LeaversText(SchoolPolicy policy)
    {
        var leavers = policy.Devices.Leavers;
        var when = leavers.LongAbsenceDays is { } days
            ? $"when they leave, or before an absence of {Days(days)} or more (such as illness, secondment or maternity leave)"
            : "when they leave";
        var text = $"Everyone returns the school equipment in their care {when}.";
        if (leavers.Notify.Count > 0)
        {
            text += $" {Sentence(List(leavers.Notify.Select(r => RoleWords(policy, r)).ToList(), "and"))} {(leavers.Notify.Count == 1 ? "is" : "are")} told, so that nothing is missed.";
        }

        return text;
    }

    private static string Requirement(string? id) => id is null ? "" : $" <span class=\"rule-id\">[{Enc(id)}]</span>";

    private static string Enc(string text) => PolicyRenderer.Enc(text);

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    /// <summary>"365 days", "4 hours", "90 minutes".</summary>
    internal static string Span(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? Days((int)span.TotalDays)
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? ((int)span.TotalHours == 1 ? "1 hour" : $"{(int)span.TotalHours} hours")
        : (int)span.TotalMinutes == 1 ? "1 minute" : $"{(int)span.TotalMinutes} minutes";

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>"a", "a and b", "a, b and c".</summary>
    internal static string List(IReadOnlyList<string> items, string conjunction) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + $" {conjunction} " + items[^1],
    };

    private static string KindWords(string kind) => kind switch
    {
        "phone" => "mobile phones",
        "laptop" => "laptops",
        "chromebook" => "Chromebooks",
        "tablet" => "tablets",
        "desktop" => "desktop computers",
        "wearable" => "wearables such as smart watches",
        "recorder" => "digital recorders",
        "camera" => "cameras",
        "console" => "games consoles",
        "removable_media" => "removable media (USB sticks, memory cards and discs)",
        "other" => "other devices",
        _ => kind,
    };

    private static string RequestKindWords(string kind) => kind == DeviceRequestKindKeys.RemovableMedia ? "Removable media" : "Personal devices";

    private static string MustBe(string attestation) => attestation switch
    {
        DeviceAttestationKeys.Encrypted => "be encrypted",
        DeviceAttestationKeys.Passcode => "be protected by a password, PIN or fingerprint",
        DeviceAttestationKeys.TwoFactor => "have two-factor sign-in on for the school accounts it holds",
        DeviceAttestationKeys.VirusChecked => "be virus-checked",
        _ => attestation,
    };

    private static string RequesterWords(string requester) => requester switch
    {
        DeviceRequesterKeys.Self => "the person themselves",
        DeviceRequesterKeys.Parent => "a parent or carer",
        DeviceRequesterKeys.Teacher => "a member of staff",
        _ => requester,
    };

    /// <summary>A portal role as an approver: the policy's role holders by their title, the other portal roles in words.</summary>
    private static string ApproverWords(SchoolPolicy policy, string role) => role switch
    {
        PortalRoleKeys.Admin => "an administrator",
        PortalRoleKeys.Teacher => "a teacher",
        PortalRoleKeys.Staff => "any member of staff",
        _ => RoleWords(policy, role),
    };

    /// <summary>"the Head of IT" where the policy names the role's title, else the role's usual name ("the Headteacher").</summary>
    private static string RoleWords(SchoolPolicy policy, string role)
    {
        var holder = policy.Roles.All().FirstOrDefault(r => string.Equals(r.Role, role, StringComparison.Ordinal)).Holder;
        var name = holder?.Title ?? PolicyRenderer.RoleName(role);
        return holder?.Organisation is { Length: > 0 } organisation ? $"the {name} ({organisation})" : $"the {name}";
    }
}
