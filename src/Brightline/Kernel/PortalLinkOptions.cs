using System.ComponentModel.DataAnnotations;

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
