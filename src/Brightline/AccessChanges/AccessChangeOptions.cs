using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>Settings (section <c>Brightline:Access</c>).</summary>
public sealed class AccessChangeOptions
{
    public const string Section = "Brightline:Access";

    /// <summary>How often each process reads changes made by other processes: the bound on cross-process delivery. Default 1000 ms.</summary>
    [Range(50, 60_000)]
    public int ChangePollMilliseconds { get; set; } = 1000;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(ChangePollMilliseconds);

    /// <summary>How long a change row is kept before the purge deletes it.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);
}
