using System.Text.Json.Serialization;

namespace Brightline.BrowserExtension;

/// <summary>
/// What enrolment and the portal sign-in both answer the extension: its tokens and what the popup shows. The email is
/// only given back where the extension did not send one (a portal sign-in names the account it signed in as).
/// </summary>
public sealed record EnrolmentResponse(
    string Token, string MonitoringToken, Guid PersonId, string Person, string School, string SchoolId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null)
{
    public static EnrolmentResponse From(Enrolment enrolled, string? email = null) =>
        new(enrolled.Token, enrolled.MonitoringToken, enrolled.PersonId, enrolled.PersonName, enrolled.SchoolName, enrolled.SchoolId, email);
}
