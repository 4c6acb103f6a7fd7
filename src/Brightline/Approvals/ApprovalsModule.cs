using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Approvals;

/// <summary>Registers the approvals workflow, its expiry sweep and the Wi-Fi voucher API.</summary>
public sealed class ApprovalsModule : IFeatureModule
{
    public const string VoucherCheckPath = "/api/v1/vouchers/check";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Portal.IOfficialCapacity, OfficialCapacity>();
        services.AddScoped<Agreements.IApprovedGroups, ApprovedGroups>();
        services.AddScoped<WebFiltering.IFilterExemptions, FilterExemptions>();
        services.TryAddScoped<ApprovalService>();
        services.TryAddScoped<ApprovalEffectWriter>();
        services.TryAddScoped<ApprovalNotifier>();
        services.TryAddScoped<Incidents.IncidentService>();
        services.AddSettings<ApprovalsOptions>(ApprovalsOptions.Section);
        if (Settings.AtRegistration<ApprovalsOptions>(configuration, ApprovalsOptions.Section).Worker)
        {
            services.AddHostedService<ApprovalWorker>();
        }
    }

    public void MapEndpoints(WebApplication app)
    {
        app.MapPost(VoucherCheckPath, CheckVoucherAsync).RequireAuthorization(PortalPolicies.Api)
            .AddEndpointFilterFactory(ApiSchoolScope.Factory).DisableAntiforgery();
    }

    /// <summary>
    /// O22: a Wi-Fi controller asks whether a guest's code is valid now, and gets the group (filter profile) to
    /// put the guest in and when the code stops working. Unknown, expired and revoked codes are "invalid" with
    /// a reason; a malformed request is a 400 ProblemDetails. The school comes from the body (machine key) or
    /// the session (a signed-in member of staff).
    /// </summary>
    private static async Task<IResult> CheckVoucherAsync(HttpContext context, string? school, BrightlineDbContext db, FilterService filters, TimeProvider time, CancellationToken cancellationToken)
    {
        VoucherCheck? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<VoucherCheck>(context.Request.Body, s_json, cancellationToken);
        }
        catch (JsonException)
        {
            return Problem("The body is not valid JSON. Send {\"code\": \"ABCDE-FGHJK\"}.");
        }

        var code = body?.Code?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code) || code.Length > 32)
        {
            return Problem("Send the guest's code in the \"code\" field (at most 32 characters).");
        }

        var schoolId = school ?? body!.School;
        var voucher = await db.Set<WifiVoucher>().AsNoTracking().FirstOrDefaultAsync(v => v.Code == code, cancellationToken);
        if (voucher is null || (schoolId is not null && !string.Equals(voucher.SchoolId, schoolId, StringComparison.Ordinal)))
        {
            return Results.Ok(new { valid = false, reason = "unknown" });
        }

        var now = time.GetUtcNow();
        var reason = voucher.RevokedAt is not null ? "revoked" : voucher.ExpiresAt <= now ? "expired" : voucher.ValidFrom > now ? "not-yet-valid" : null;
        string? profile = null;
        if (filters.Find(voucher.SchoolId) is { } compiled)
        {
            profile = compiled.ProfilesFor([voucher.Group])[0];
        }

        return Results.Ok(new
        {
            valid = reason is null,
            reason,
            school = voucher.SchoolId,
            group = voucher.Group,
            profile = profile ?? voucher.Group,
            validFrom = voucher.ValidFrom,
            expiresAt = voucher.ExpiresAt,
            secondsLeft = reason is null ? (long)(voucher.ExpiresAt - now).TotalSeconds : 0,
        });
    }

    private static IResult Problem(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad voucher check", detail: detail);

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private sealed record VoucherCheck(string? Code, string? School);
}
