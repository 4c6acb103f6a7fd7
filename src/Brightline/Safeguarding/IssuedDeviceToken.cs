using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>A token shown once when a device is added; only its SHA-256 is kept.</summary>
public sealed record IssuedDeviceToken(MonitoringDevice Device, string Token);
