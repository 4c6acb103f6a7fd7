using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>O11: material deleted from a device — what, why and on whose authority.</summary>
public sealed record MaterialDeletion(string? What, string? Why, string? AuthorisedBy);
