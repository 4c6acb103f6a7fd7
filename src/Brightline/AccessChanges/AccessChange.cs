using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>
/// What someone may do has changed: a sanction imposed or lifted, an approval in force or ended, an agreement
/// signed or countersigned, a sign-in or sign-out, a leaver. <see cref="PersonId"/> is null for a school-wide change.
/// </summary>
public sealed record AccessChange(string SchoolId, Guid? PersonId, string Reason);
