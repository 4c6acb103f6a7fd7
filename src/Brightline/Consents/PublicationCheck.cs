using Brightline.Data.Entities;

namespace Brightline.Consents;

/// <summary>The answer to "may these children appear on this channel?": allowed only when nobody lacks anything.</summary>
public sealed record PublicationCheck(string Channel, IReadOnlyList<Person> Children, IReadOnlyList<PublicationGap> Gaps, IReadOnlyList<string> Reminders)
{
    public bool Allowed => Gaps.Count == 0 && Children.Count > 0;
}
