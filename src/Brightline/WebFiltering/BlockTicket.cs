namespace Brightline.WebFiltering;

/// <summary>What an enforcement point that knows the person (the browser extension's decision API) tells the block page about a block it made.</summary>
public sealed record BlockTicket(string SchoolId, Guid PersonId, string Host, string Reason)
{
    /// <summary>Set by <see cref="BlockPageTicket.Protect"/>; a ticket read after it is ignored.</summary>
    public DateTimeOffset Expires { get; init; }

    /// <summary>What decided the block (the decision API's <c>kind</c>: agreement, sanction, schedule, category, illegal, rule), so the block page's heading fits it.</summary>
    public string? Kind { get; init; }
}
