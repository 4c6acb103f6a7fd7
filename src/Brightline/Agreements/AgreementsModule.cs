using Brightline.Data;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;

namespace Brightline.Agreements;

public sealed class AgreementsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AgreementOptions>(AgreementOptions.Section);
        services.AddScoped<AgreementService>();
        services.AddScoped<AgreementStandings>();
        services.AddScoped<People.IPeopleChanged, StandingsAfterImport>();
        services.AddHostedService<AgreementStandingsWorker>();
        services.AddSingleton<ChaseRuns>();
        services.AddHostedService(sp => sp.GetRequiredService<ChaseRuns>());
        services.AddScoped<AcknowledgementService>();
        services.AddScoped<AgreementGate>();
        services.AddScoped<Portal.IOutstandingAgreements>(sp => sp.GetRequiredService<AgreementGate>());
        services.AddScoped<People.IPeopleListStatus, AgreementListStatus>();
    }

    public void MapEndpoints(WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);

        api.MapGet("/people/{id}/agreements", async (string id, string? school, BrightlineDbContext db, AgreementService agreements, CancellationToken ct) =>
        {
            var person = await ApiPeople.FindAsync(db, id, school, ct);
            var required = await agreements.ForPersonAsync(person.SchoolId, person.Id, ct);
            return Results.Ok(new
            {
                personId = person.Id,
                name = person.FullName,
                agreements = required.Select(ToJson),
            });
        });

        // A signature given on paper (or at a desk), recorded by the school's system: the signer is the person or a linked
        // parent; the agreement's questions are answered in "answers" (issue 15 part 4). Bad input is a ProblemDetails
        // answer that names the field (e.g. a required question unanswered: field "answers.<id>").
        api.MapPost("/people/{id}/agreements/{agreementId}/signatures", async (
            string id, string agreementId, string? school, SignatureBody? body, BrightlineDbContext db, AgreementService agreements, HttpContext http, CancellationToken ct) =>
        {
            var person = await ApiPeople.FindAsync(db, id, school, ct);
            if (body is null || string.IsNullOrWhiteSpace(body.SignedName))
            {
                throw new InvalidException("Give signedName: the signer's full name as the school holds it.", "Signature incomplete") { Field = "signedName" };
            }

            var signature = await agreements.SignAsync(new SignRequest(
                person.SchoolId, person.Id, body.SignerId ?? person.Id, agreementId, body.SignedName, body.JobTitle, body.ClassName,
                body.TeacherPresent ?? false, Data.Entities.SignatureMethod.Paper, http.Connection.RemoteIpAddress?.ToString(), ApiPeople.Actor(http))
            {
                Answers = body.Answers,
                ChildName = body.ChildName,
            }, ct);
            return Results.Created($"/signatures/{signature.Id}", new
            {
                id = signature.Id,
                personId = signature.PersonId,
                signerId = signature.SignerId,
                agreementId = signature.AgreementId,
                capacity = signature.Capacity.ToString().ToLowerInvariant(),
                childName = signature.ChildName,
                answers = SignatureAnswers.Read(signature.Answers),
                signedAt = signature.SignedAt,
                academicYear = signature.AcademicYear,
            });
        });

        api.MapPost("/agreements/chase", async (string? school, PolicyStore store, AgreementService agreements, HttpContext http, CancellationToken ct) =>
        {
            var schoolId = await store.ResolveSchoolAsync(school, ct);
            var sent = await agreements.ChaseParentsAsync(schoolId, ApiPeople.Actor(http), ct);
            return Results.Ok(new { school = schoolId, sent });
        });

        api.MapGet("/agreements/compliance", async (string? school, PolicyStore store, AgreementService agreements, CancellationToken ct) =>
        {
            var schoolId = await store.ResolveSchoolAsync(school, ct);
            var summary = await agreements.ComplianceAsync(schoolId, ct);
            return Results.Ok(new
            {
                school = schoolId,
                groups = summary.Groups,
                classes = summary.Classes,
                overdue = summary.Overdue,
                policyNextReview = summary.PolicyNextReview,
                policyReviewDue = summary.PolicyReviewDue,
            });
        });
    }

    /// <summary>A signature recorded through the API.</summary>
    internal sealed record SignatureBody(
        Guid? SignerId, string? SignedName, string? JobTitle, string? ClassName, bool? TeacherPresent, string? ChildName,
        Dictionary<string, string?>? Answers);

    internal static object ToJson(RequiredAgreement r) => new
    {
        agreementId = r.AgreementId,
        title = r.Title,
        agreementVersionId = r.AgreementVersionId,
        textHash = r.TextHash,
        signers = r.Signers.ToString().ToLowerInvariant(),
        needsSelf = r.NeedsSelf,
        needsParent = r.NeedsParent,
        selfSigned = r.SelfSigned,
        parentSigned = r.ParentSigned,
        dueBy = r.DueBy,
        state = r.State.ToString().ToLowerInvariant(),
        withholds = r.Withholds.Select(w => w.ToString().ToLowerInvariant()),
        missingSince = r.MissingSince,
        onBehalf = r.OnBehalf,
    };
}
