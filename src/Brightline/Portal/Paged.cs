using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Brightline.Portal;

/// <summary>A page of results and where it sits in the whole list.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int Total)
{
    public int Pages => Math.Max(1, (Total + PortalHtml.PageSize - 1) / PortalHtml.PageSize);
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < Pages;
    public int First => Total == 0 ? 0 : ((Page - 1) * PortalHtml.PageSize) + 1;
    public int Last => Math.Min(Total, Page * PortalHtml.PageSize);
}
