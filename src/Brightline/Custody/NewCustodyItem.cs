using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

public sealed record NewCustodyItem(
    string? Description, string? SerialOrTag, Guid? OwnerPersonId, Guid? IncidentId, string? Origin, string? Reason,
    string? StoragePlace, string? Note, string? Password);
