using Brightline.Data;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;


namespace Brightline.ClientBindings;

/// <summary>
/// The portal's hooks into the DNS filter: a sign-in binds the device's address to the person (so their
/// own profile applies, for the policy's <c>sign_in_binding_minutes</c>; stored, so a DNS filter running
/// as its own process follows within seconds), and a sign-out unbinds it. Both are published as access
/// changes. One line each in the pages; nothing here clears another feature's cache.
/// </summary>
public sealed class SignInBinding(BrightlineDbContext db, PolicyStore policies, TimeProvider time, DnsClientBindings bindings)
{
    /// <summary>After a complete sign-in (password, and second factor when required).</summary>
    public async Task BindAsync(HttpContext context, string userId, CancellationToken cancellationToken)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return;
        }

        var membership = await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.PersonId != null).OrderBy(m => m.Id)
            .Select(m => new { m.SchoolId, m.PersonId }).FirstOrDefaultAsync(cancellationToken);
        if (membership?.PersonId is not { } personId)
        {
            return;
        }

        Policy.Model.SchoolPolicy policy;
        try
        {
            policy = await policies.ActiveAsync(membership.SchoolId, cancellationToken);
        }
        catch (Kernel.NotFoundException)
        {
            // No policy loaded yet: nothing to filter by, so nothing to bind.
            return;
        }

        var minutes = policy.Filtering.Dns.SignInBindingMinutes;
        var now = time.GetUtcNow();
        await bindings.BindAndStoreAsync(db, address, membership.SchoolId, personId, now.AddMinutes(minutes), cancellationToken);
    }

    /// <summary>On sign-out: the device goes back to its network's profile, here and in a separate DNS process.</summary>
    public async Task UnbindAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Connection.RemoteIpAddress is { } address)
        {
            await bindings.UnbindAndForgetAsync(db, address, cancellationToken);
        }
    }
}
