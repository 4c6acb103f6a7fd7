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

/// <summary>Who is acting: their user name (email), their person record at the school, and their portal roles.</summary>
public sealed record ApprovalActor(string UserName, Guid? PersonId, IReadOnlyList<string> Roles, string? ClientAddress = null)
{
    public static ApprovalActor From(PortalScope scope) => new(scope.UserName, scope.PersonId, scope.Roles, scope.ClientAddress);

    /// <summary>The sweep that records expiry.</summary>
    public static ApprovalActor System { get; } = new("system", null, []);
}
