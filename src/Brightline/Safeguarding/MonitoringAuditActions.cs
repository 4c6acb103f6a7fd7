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

/// <summary>Audit action names of the monitoring feature.</summary>
public static class MonitoringAuditActions
{
    public const string DeviceTokenIssued = "device-token-issued";
    public const string DeviceTokenRevoked = "device-token-revoked";
    public const string CaptureViewed = "monitoring-capture-viewed";
    public const string AlertOutcome = "monitoring-alert-outcome";
    public const string AlertNote = "monitoring-alert-note";
    public const string CapturesPurged = "monitoring-captures-purged";
}
