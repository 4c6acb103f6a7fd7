using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Kernel;

public sealed class PortalLinkOptions : IValidatableObject
{
    public const string Section = "Brightline:Portal";

    /// <summary>The address parents reach the portal at; default: the server's first listening address.</summary>
    public string? BaseUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(BaseUrl)
            && !(Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult($"{Section}:BaseUrl is '{BaseUrl}', which is not an http or https address (e.g. https://portal.school.org.uk).", [nameof(BaseUrl)]);
        }
    }
}
