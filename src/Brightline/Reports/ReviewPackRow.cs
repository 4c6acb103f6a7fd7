using System.Globalization;
using Brightline.Agreements;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Reports;

/// <summary>A stored pack without its (large) HTML and PDF, for lists.</summary>
public sealed record ReviewPackRow(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset CreatedAt, string CreatedBy, bool HasPdf, int Passed, int Failed, int NotRun);
