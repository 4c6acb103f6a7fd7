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

/// <summary>How a block page speaks: to a young child, an older pupil, or an adult (who also sees the rule ID).</summary>
public enum BlockAudience
{
    Young,
    Junior,
    Adult,
}
