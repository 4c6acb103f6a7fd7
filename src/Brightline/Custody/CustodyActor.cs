using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

/// <summary>Who is recording, as the page knows them.</summary>
public sealed record CustodyActor(string SchoolId, string UserId, string UserName);
