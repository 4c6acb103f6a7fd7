using Brightline.Data.Entities;

namespace Brightline.Consents;

/// <summary>An open parent's link: the parent, and each of their children with the questions asked about them.</summary>
public sealed record ConsentLinkContext(string SchoolId, string SchoolName, Person Parent, IReadOnlyList<ChildConsents> Children, DateTimeOffset ExpiresAt);
