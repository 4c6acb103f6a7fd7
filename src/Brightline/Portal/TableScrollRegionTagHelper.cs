using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Brightline.Portal;

/// <summary>
/// Marks a hand-written <c>div.table-scroll</c> region, so <see cref="ScrollingTableTagHelper"/> does not wrap the
/// tables inside it a second time. It only tells the tags within; the div is written as it stands.
/// </summary>
[HtmlTargetElement("div", Attributes = "[class^=table-scroll]")]
public sealed class TableScrollRegionTagHelper : TagHelper
{
    public override void Init(TagHelperContext context) => context.Items[ScrollingTableTagHelper.InsideRegion] = true;
}
