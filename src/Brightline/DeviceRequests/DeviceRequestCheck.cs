using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.DeviceRequests;

/// <summary>
/// What the policy says about a request of one kind for one person by this asker: the rule that applies and the
/// asker's relationship, or the refusal in the policy's own words (H3: "Personal mobile devices are not allowed in
/// the EYFS setting"). The form shows <see cref="Refusal"/> instead of the form; the API answers it as ProblemDetails.
/// </summary>
public sealed record DeviceRequestCheck(Person Person, string Kind, string? RequestedAs, DeviceRequestRule? Rule, string? Refusal)
{
    public bool Allowed => Refusal is null && Rule is not null && RequestedAs is not null;
}
