namespace Brightline.BrowserExtension;

/// <summary>What the decision API tells the block page about a block it made for an enrolled browser.</summary>
public sealed record BlockTicket(string SchoolId, Guid PersonId, string Host, string Reason)
{
    /// <summary>Set by <see cref="BlockPageTicket.Protect"/>; a ticket read after it is ignored.</summary>
    public DateTimeOffset Expires { get; init; }
}
