using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>Machine clients of <c>/api/v1</c> (section <c>Brightline:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Brightline:Api";

    /// <summary>Bearer keys accepted for <c>/api/v1</c>; empty (the default): no machine client is accepted.</summary>
    public List<string> Keys { get; set; } = [];
}
