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

/// <summary>What someone asks for. Which fields matter depends on the type's kind.</summary>
public sealed record NewApproval(
    string TypeId,
    string? Reason,
    Guid? SubjectPersonId = null,
    string? RuleId = null,
    string? Host = null,
    string? Detail = null,
    int? DurationMinutes = null,
    int? VoucherCount = null,
    bool AgreementAccepted = false,
    string? AgreementSignedName = null);
