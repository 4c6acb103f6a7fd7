using Microsoft.AspNetCore.Identity;

namespace Brightline.Data.Entities;

// Every record belongs to a school (SchoolId) so one installation can serve a trust's schools.

public sealed class School
{
    /// <summary>The policy's school.id slug.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An approved, dated version of a school's policy file, stored verbatim.</summary>
public sealed class PolicyVersion
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public required string Version { get; set; }
    public required string Yaml { get; set; }
    /// <summary>SHA-256 of <see cref="Yaml"/>, lowercase hex.</summary>
    public required string Sha256 { get; set; }
    public DateOnly? ApprovedOn { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
    public string? LoadedBy { get; set; }
    /// <summary>Exactly one version per school is active.</summary>
    public bool IsActive { get; set; }
}

/// <summary>
/// The exact text of one agreement as people sign it. A new policy version creates a new row only
/// when the canonical text (and so its hash) changed, which is what makes re-signing targeted.
/// </summary>
public sealed class AgreementVersion
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The policy's agreement ID.</summary>
    public required string AgreementId { get; set; }
    public required string Title { get; set; }
    public required string TextHash { get; set; }
    public required string Text { get; set; }
    public long PolicyVersionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Bit flags over <c>Brightline.Policy.Model.PersonKind</c>: bit n = kind n.</summary>
public sealed class Person
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>Identifier from the school's MIS (admission number, UPN, staff code); unique per school and source.</summary>
    public required string ExternalId { get; set; }
    /// <summary>Which import owns the record ("pupils", "staff", "adults", "parents", "manual").</summary>
    public required string Source { get; set; }
    public required string GivenName { get; set; }
    public required string FamilyName { get; set; }
    public int KindMask { get; set; }
    public string? YearGroup { get; set; }
    /// <summary>A pupil's class, or the class a teacher teaches.</summary>
    public string? ClassName { get; set; }
    public string? Email { get; set; }
    public string? JobTitle { get; set; }
    public DateOnly JoinedOn { get; set; }
    /// <summary>Set when a full import no longer lists the person; people are never deleted.</summary>
    public DateOnly? LeftOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>
    /// The extra MIS columns the policy's <c>attributes:</c> maps (house, boarding, SEN …), as a JSON object of attribute
    /// ID → value; null when none. Groups may be defined by them (issue 15 part 4).
    /// </summary>
    public string? Attributes { get; set; }

    public string FullName => $"{GivenName} {FamilyName}";
}

public sealed class ParentLink
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid ParentId { get; set; }
    public Guid ChildId { get; set; }
    public string? Relationship { get; set; }
}

/// <summary>A role a person holds at a school beyond their kind (dsl, head, computing_lead …).</summary>
public sealed class PersonRole
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid PersonId { get; set; }
    public required string Role { get; set; }
}

public enum SignerCapacity
{
    Self,
    Parent,
}

public enum SignatureMethod
{
    Portal,
    EmailLink,
    Paper,
}

/// <summary>A signature is evidence: never updated or deleted.</summary>
public sealed class Signature
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The person the agreement covers.</summary>
    public Guid PersonId { get; set; }
    /// <summary>Who signed: the person, or a parent for them.</summary>
    public Guid SignerId { get; set; }
    public SignerCapacity Capacity { get; set; }
    public long AgreementVersionId { get; set; }
    public required string AgreementId { get; set; }
    public required string TextHash { get; set; }
    public required string SignedName { get; set; }
    public string? JobTitle { get; set; }
    public string? ClassName { get; set; }
    public bool TeacherPresent { get; set; }
    public SignatureMethod Method { get; set; }
    public DateTimeOffset SignedAt { get; set; }
    public string? ClientAddress { get; set; }
    /// <summary>Academic year the signature was given in, e.g. "2025/26".</summary>
    public required string AcademicYear { get; set; }
    /// <summary>Answers to the agreement's questions, a JSON object of question ID → "yes" / "no" / text; null when it asks none (issue 15 part 4).</summary>
    public string? Answers { get; set; }
    /// <summary>The child a parent named on their own agreement (O13: "Name of child"); null when the agreement does not ask.</summary>
    public string? ChildName { get; set; }
}

/// <summary>A single-use, expiring link emailed to a parent to countersign. Only the token's hash is stored.</summary>
public sealed class CountersignToken
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public required string TokenHash { get; set; }
    public Guid ChildId { get; set; }
    public Guid ParentId { get; set; }
    public long AgreementVersionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>A logon acknowledgement (H13, C8), recorded like a signature.</summary>
public sealed class AcknowledgementRecord
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid PersonId { get; set; }
    public required string AgreementId { get; set; }
    public required string TextHash { get; set; }
    public DateTimeOffset At { get; set; }
    public string? ClientAddress { get; set; }
}

/// <summary>
/// Append-only, hash-chained audit entry: Hash = SHA-256(PreviousHash + canonical fields), so altering
/// or removing any entry breaks every later link.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public string? SchoolId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Subject { get; set; }
    public string? Detail { get; set; }
    public string? ClientAddress { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

public sealed class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a portal account may do at a school; a user may hold roles at several schools.</summary>
public sealed class SchoolMembership
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>A <c>PortalRoles</c> name: admin, dsl, head, computing_lead, business_manager, it_provider, teacher, staff, parent, pupil.</summary>
    public required string Role { get; set; }
    /// <summary>The person record this account is, at this school.</summary>
    public Guid? PersonId { get; set; }
}

/// <summary>An email sent (or failed) — the reminder history a school wants to see.</summary>
public sealed class EmailRecord
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public required string Recipient { get; set; }
    public required string Purpose { get; set; }
    public Guid? PersonId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Sent { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// One answer of the filtering DNS server, written in batches off the answer path. Holds the name
/// asked for, never a URL or search terms (DNS does not carry them); the person is known only when
/// a portal sign-in bound the client's address to them.
/// </summary>
public sealed class DnsDecisionEntry
{
    public long Id { get; set; }
    /// <summary>The school whose policy decided; null for a client no school's networks or bindings know.</summary>
    public string? SchoolId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ClientAddress { get; set; }
    public Guid? PersonId { get; set; }
    public required string Name { get; set; }
    /// <summary>Query type mnemonic (A, AAAA, HTTPS …) or its number.</summary>
    public required string QueryType { get; set; }
    /// <summary>forwarded, cached, blocked, blocked_nxdomain, rewritten, portal, refused, canary …</summary>
    public required string Decision { get; set; }
    public string? Category { get; set; }
    public string? Profile { get; set; }
    public string? Reason { get; set; }
}
