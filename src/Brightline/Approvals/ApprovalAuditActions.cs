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

/// <summary>Audited action names for approvals.</summary>
public static class ApprovalAuditActions
{
    public const string Requested = "approval-requested";
    public const string Approved = "approval-approved";
    public const string Applied = "approval-applied";
    public const string Declined = "approval-declined";
    public const string Revoked = "approval-revoked";
    public const string Expired = "approval-expired";
    public const string Withdrawn = "approval-withdrawn";
}
