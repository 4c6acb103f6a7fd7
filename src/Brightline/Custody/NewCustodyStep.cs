using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

/// <summary>
/// A new step. A portal receiver is named by <see cref="ReceiverEmail"/> and signs with <see cref="ReceiverPassword"/>;
/// an outside receiver types <see cref="ExternalName"/> and the recording user witnesses with <see cref="WitnessPassword"/>.
/// </summary>
public sealed record NewCustodyStep(
    string? Kind, string? ReceiverEmail, string? ReceiverPassword, string? ExternalName, string? ExternalRole, string? ExternalBody,
    string? ExternalReference, string? StoragePlace, string? Note, string? WitnessPassword);
