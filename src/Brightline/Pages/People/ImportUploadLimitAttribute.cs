using Brightline.Kernel;
using Brightline.People;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Brightline.Pages.People;

/// <summary>
/// Refuses an upload over <see cref="PeopleOptions.MaxImportBytes"/> by its declared length before anything reads
/// the form — it runs before the antiforgery check, which would otherwise read (and buffer) the whole body — and
/// sends the browser back to the page, which names the limit. A body without a declared length is turned back
/// too. Kestrel discards the unread body (up to its own request limit) so the browser still sees the answer.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ImportUploadLimitAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    /// <summary>Multipart boundaries, headers, the antiforgery token and the two small fields.</summary>
    private const int FormAllowance = 64 * 1024;

    /// <summary>Before <see cref="AutoValidateAntiforgeryTokenAttribute"/> (1000), as MVC's own request size limit (900).</summary>
    public int Order => 900;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return;
        }

        var limit = (long)context.HttpContext.RequestServices.GetRequiredService<IOptions<PeopleOptions>>().Value.MaxImportBytes + FormAllowance;
        if (request.ContentLength > limit)
        {
            context.Result = new RedirectResult($"/people/import?refused={ImportModel.TooLargeQuery}");
            return;
        }

        // A browser always declares a form's length; a body without one (chunked, from a script) could be any size,
        // and cutting it off midway would fail the antiforgery check with an unhelpful page. Turn it back the same way.
        if (request.ContentLength is null && request.HasFormContentType
            && request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            context.Result = new RedirectResult($"/people/import?refused={ImportModel.NoLengthQuery}");
        }
    }
}
