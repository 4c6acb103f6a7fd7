namespace Brightline.People;

internal sealed record ImportContact(int Number, string GivenName, string FamilyName, string? Email, string? Relationship);
