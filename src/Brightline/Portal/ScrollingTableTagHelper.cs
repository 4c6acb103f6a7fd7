using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Brightline.Portal;

/// <summary>
/// Every table in a page scrolls inside its own labelled, keyboard-focusable region instead of pushing the page wider
/// than a phone (issue 17 defect 5: the dashboard was 536 px wide on a 390 px screen, the alert queue 602). A table
/// already inside a hand-written <c>div.table-scroll</c> (<see cref="TableScrollRegionTagHelper"/>) is left alone.
/// The region is named by the table's caption (given an ID if it has none) so a screen reader announces what scrolls.
/// </summary>
[HtmlTargetElement("table")]
public sealed partial class ScrollingTableTagHelper : TagHelper
{
    /// <summary>Set by <see cref="TableScrollRegionTagHelper"/> for the tables inside a hand-written region.</summary>
    internal static readonly object InsideRegion = new();

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        if (context.Items.ContainsKey(InsideRegion))
        {
            return;
        }

        var html = (await output.GetChildContentAsync()).GetContent();
        string label;
        var caption = Caption().Match(html);
        if (caption.Success)
        {
            var id = CaptionId().Match(caption.Groups["attrs"].Value) is { Success: true } existing
                ? existing.Groups[1].Value
                : $"table-{context.UniqueId}-caption";
            if (!CaptionId().IsMatch(caption.Groups["attrs"].Value))
            {
                html = html.Remove(caption.Index, caption.Length).Insert(caption.Index, $"<caption id=\"{id}\"{caption.Groups["attrs"].Value}>");
            }

            label = $"aria-labelledby=\"{id}\"";
        }
        else
        {
            var named = output.Attributes["aria-label"]?.Value?.ToString();
            label = $"aria-label=\"{System.Net.WebUtility.HtmlEncode(string.IsNullOrWhiteSpace(named) ? "Table" : named)}\"";
        }

        output.PreElement.SetHtmlContent($"<div class=\"table-scroll auto\" role=\"region\" {label} tabindex=\"0\">");
        output.PostElement.SetHtmlContent("</div>");
        output.Content.SetHtmlContent(html);
    }

    [GeneratedRegex("<caption(?<attrs>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Caption();

    [GeneratedRegex("\\bid\\s*=\\s*\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex CaptionId();
}
