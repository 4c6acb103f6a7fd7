using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

public static class CustodySignatures
{
    /// <summary>The receiving portal user re-entered their password.</summary>
    public const string Password = "password";
    /// <summary>An outside receiver typed their full name; the recording user witnessed it with their password.</summary>
    public const string TypedName = "typed_name";
}
