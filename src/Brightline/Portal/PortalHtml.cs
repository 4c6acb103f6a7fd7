using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Brightline.Portal;

/// <summary>Small helpers the pages share: field errors for accessible forms, safe local redirects, paging.</summary>
public static class PortalHtml
{
    public const int PageSize = 50;

    /// <summary>A GET link that keeps a page's search and filters: empty values are left out, the rest escaped.</summary>
    public static string Link(string path, params (string Name, string? Value)[] query)
    {
        var parts = new List<string>(query.Length);
        foreach (var (name, value) in query)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        return parts.Count == 0 ? path : path + "?" + string.Join('&', parts);
    }

    /// <summary>The first error for a field, to show beside it (and in the summary).</summary>
    public static string? ErrorFor(this ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>"true" when the field has an error, for aria-invalid; null otherwise (so the attribute is omitted).</summary>
    public static string? InvalidFor(this ModelStateDictionary modelState, string key) => modelState.ErrorFor(key) is null ? null : "true";

    public static int ClampPage(int page) => page < 1 ? 1 : page;
}
