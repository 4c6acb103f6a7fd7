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

/// <summary>The school's decision for one host, in the words the block page needs.</summary>
public sealed record BlockExplanation(string Host, bool Blocked, string? Category, string? CategoryName, bool Illegal, string? RuleId, string? Profile, string Summary, IReadOnlyList<string> Trace);
