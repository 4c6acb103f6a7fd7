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

/// <summary>The outcome of one event of a batch, by its index in the batch.</summary>
public sealed record EventResult(int Index, string? Id, string Status, string? Error = null);
