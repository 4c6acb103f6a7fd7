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

public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Results);
