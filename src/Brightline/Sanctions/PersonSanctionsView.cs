using Brightline.Data.Entities;

namespace Brightline.Sanctions;

/// <param name="LastLetter">The newest letter to parents per sanction (issue 15 part 6), for the "Parents" column.</param>
public sealed record PersonSanctionsView(
    Guid PersonId, string GivenName, IReadOnlyList<Sanction> Sanctions, DateTimeOffset Now, IReadOnlyDictionary<Guid, SanctionLetter>? LastLetter = null);
