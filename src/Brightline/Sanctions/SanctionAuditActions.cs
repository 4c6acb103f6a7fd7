using Brightline.AccessChanges;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>Audited action names for sanctions.</summary>
public static class SanctionAuditActions
{
    public const string Impose = "sanction-imposed";
    public const string Lift = "sanction-lifted";
    public const string Meeting = "sanction-meeting-recorded";
}
