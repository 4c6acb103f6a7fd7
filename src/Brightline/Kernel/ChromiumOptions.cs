using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Agreements;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Brightline.Monitoring;

namespace Brightline.Kernel;

/// <summary>
/// Where Chromium is, for printing reports to PDF (<c>Brightline:Chromium:Path</c>; from the environment as
/// <c>Brightline__Chromium__Path</c>, like every setting).
/// </summary>
public sealed class ChromiumOptions
{
    public const string Section = "Brightline:Chromium";

    /// <summary>The Chromium (or Chrome) executable; default <c>/usr/bin/chromium</c>.</summary>
    public string? Path { get; set; }

    /// <summary>How long one print to PDF may take before the HTML report is sent instead.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    public string ResolvedPath() => Path is { Length: > 0 } p ? p : "/usr/bin/chromium";
}
