namespace Brightline.Loans;

/// <summary>Who is signing a device out or in: the portal user (or API caller) at their school, and their person record when they have one ("me").</summary>
public sealed record LoanActor(string SchoolId, string UserName, Guid? PersonId);
