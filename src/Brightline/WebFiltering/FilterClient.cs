using System.Net;
using Brightline.Access;
using Brightline.Agreements;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using FilterRequest = Brightline.Filtering.FilterRequest;
using RequestEntity = Brightline.Data.Entities.FilterRequest;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>Who is asking, as far as the portal can tell: a person (signed in, or bound by DNS sign-in), else the network's group.</summary>
public sealed record FilterClient(SchoolFilter School, Guid? PersonId, string[] Profiles, string? GroupId, BlockAudience Audience, AccessReason? Refused, string Address);
