using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>Limits on what one request may carry.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Brightline:Monitoring:Ingestion";

    /// <summary>Events one batch may carry.</summary>
    [Range(1, 100_000)]
    public int MaxEvents { get; set; } = 1000;

    /// <summary>The largest request body accepted.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The largest screenshot one event may carry.</summary>
    [Range(1, int.MaxValue)]
    public int MaxScreenshotBytes { get; set; } = 1024 * 1024;
}
