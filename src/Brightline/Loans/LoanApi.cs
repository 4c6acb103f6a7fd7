using System.Security.Claims;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;

namespace Brightline.Loans;

/// <summary>
/// <c>/api/v1/loans</c>: the loan book for other systems (a sign-out kiosk app, the MIS). Bad input answers a
/// ProblemDetails saying what is wrong (unknown tag, device not available with whom it is out to, due in the past).
/// A staff cookie acts in its own school; the machine key names the school.
/// </summary>
public static class LoanApi
{
    public const string Prefix = "/api/v1/loans";

    /// <summary>The sign-out body.</summary>
    public sealed record SignOutBody(string? AssetTag, Guid? BorrowerPersonId, string? BorrowerClass, string? Purpose, DateTimeOffset? DueAt);

    /// <summary>The sign-in body (C15 ticks; ignored where the policy does not ask).</summary>
    public sealed record ReturnBody(bool? ReturnedToSuite, bool? Charged);

    /// <summary>
    /// A page of the loan list. <c>page=</c> numbers pages as the portal does; <c>after=</c> (the previous answer's
    /// <c>next</c>) carries on from a place instead, as quick at the 1,000th page as the first — the way to walk a
    /// long list. <c>next</c> is null on the last page.
    /// </summary>
    public static async Task<IResult> ListAsync(string? school, string? status, string? q, Guid? device, Guid? person, string? @class, int? page, string? after,
        PolicyStore store, LoanBook book, CancellationToken ct)
    {
        var schoolId = await store.ResolveSchoolAsync(school, ct);
        if (after is not null && page is not null)
        {
            throw new InvalidException("Send page= or after=, not both: after= carries on from the place the previous answer's 'next' names.") { Field = "after" };
        }

        var query = new LoanQuery(status, q, device, person, @class, page ?? 1, after is null ? null : LoanCursor.Parse(after));
        var result = await book.ListAsync(schoolId, query, ct);
        return Results.Ok(new
        {
            school = schoolId,
            page = query.After is null ? result.Page : (int?)null,
            pageSize = PortalHtml.PageSize,
            total = result.Total,
            next = result.Items.Count == PortalHtml.PageSize ? LoanBook.CursorAfter(result.Items[^1], query).ToString() : null,
            loans = result.Items.Select(ToJson),
        });
    }

    public static async Task<IResult> SignOutAsync(SignOutBody body, string? school, HttpContext http, PolicyStore store, LoanBook book, CancellationToken ct)
    {
        var actor = await ActorAsync(http, store, school, ct);
        var loan = await book.SignOutAsync(actor, new NewLoan(body.AssetTag, body.BorrowerPersonId, body.BorrowerClass, false, body.Purpose, body.DueAt), ct);
        var row = await book.LoanAsync(actor.SchoolId, loan.Id, ct);
        return Results.Created(new Uri($"{Prefix}?device={loan.DeviceId}", UriKind.Relative), ToJson(row!));
    }

    public static async Task<IResult> ReturnAsync(long id, ReturnBody body, string? school, HttpContext http, PolicyStore store, LoanBook book, CancellationToken ct)
    {
        var actor = await ActorAsync(http, store, school, ct);
        var loan = await book.ReturnAsync(actor, id, new LoanReturn(body.ReturnedToSuite ?? false, body.Charged ?? false), ct);
        var row = await book.LoanAsync(actor.SchoolId, loan.Id, ct);
        return Results.Ok(ToJson(row!));
    }

    private static async Task<LoanActor> ActorAsync(HttpContext http, PolicyStore store, string? school, CancellationToken ct)
    {
        var schoolId = await store.ResolveSchoolAsync(school, ct);
        var name = http.User.Identity?.Name is { Length: > 0 } n ? n : "api";
        var person = Guid.TryParse(http.User.FindFirstValue(PortalClaims.Person), out var p) ? p : (Guid?)null;
        return new LoanActor(schoolId, name, person);
    }

    private static object ToJson(LoanRow r) => new
    {
        id = r.Loan.Id,
        deviceId = r.Loan.DeviceId,
        device = r.DeviceName,
        assetTag = r.AssetTag,
        borrowerPersonId = r.Loan.BorrowerPersonId,
        borrowerClass = r.Loan.BorrowerClass,
        borrower = r.Borrower,
        purpose = r.Loan.Purpose,
        outAt = r.Loan.OutAt,
        outBy = r.Loan.OutBy,
        dueAt = r.Loan.DueAt,
        returnedAt = r.Loan.ReturnedAt,
        returnedBy = r.Loan.ReturnedBy,
        returnedToSuite = r.Loan.ReturnedToSuite,
        charged = r.Loan.Charged,
        // C15: "returned" (signed back in), "written_off", "lost" or "stolen" once closed; null while out.
        outcome = r.Loan.ReturnedAt is null ? null : r.Outcome is { } o ? o["loan.".Length..] : "returned",
        overdueNotifiedAt = r.Loan.OverdueNotifiedAt,
    };
}
