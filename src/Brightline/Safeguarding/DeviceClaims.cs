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

/// <summary>Claims a device token adds.</summary>
public static class DeviceClaims
{
    public const string Device = "brightline:device";
    public const string School = "brightline:device-school";
}
