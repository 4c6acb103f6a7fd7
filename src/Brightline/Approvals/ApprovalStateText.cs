using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Approvals;

/// <summary>How each <see cref="ApprovalState"/> reads on screen.</summary>
public static class ApprovalStateText
{
    public static string Describe(this ApprovalState status) => status switch
    {
        ApprovalState.Pending => "Waiting for a decision",
        ApprovalState.Active => "In force",
        ApprovalState.Declined => "Declined",
        ApprovalState.Revoked => "Ended early",
        ApprovalState.Expired => "Ended (time ran out)",
        ApprovalState.Withdrawn => "Withdrawn by the requester",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an approval state."),
    };
}
