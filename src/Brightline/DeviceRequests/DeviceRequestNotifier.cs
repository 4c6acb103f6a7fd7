using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.DeviceRequests;

/// <summary>
/// The request emails, each queued in the caller's transaction and naming the school that sent it: to those who may
/// decide (a link, and whose device — nothing else about the person), to the asker once decided, and the renewal
/// reminder to the owner and the asker.
/// </summary>
public sealed class DeviceRequestNotifier(BrightlineDbContext db, EmailSender email, PortalLinks links)
{
    public async Task ApproversAsync(string schoolId, IReadOnlyList<string> roles, DeviceRequest request, Person person, string askerUserId, CancellationToken cancellationToken)
    {
        var school = await SchoolNameAsync(schoolId, cancellationToken);
        var userIds = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && roles.Contains(m.Role) && m.UserId != askerUserId)
            .Select(m => m.UserId).ToListAsync(cancellationToken);
        var to = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.Email != null).Select(u => u.Email!).ToListAsync(cancellationToken);
        foreach (var address in to.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            email.Enqueue(schoolId, address, $"{school}: a device request for {person.FullName} is waiting for your decision",
                $"{school} — Brightline\n\nA request to bring a device into school for {person.FullName} is waiting for your decision.\n\nSign in to read and decide it:\n{Link(request)}\n",
                "device-request", null);
        }
    }

    public void Requester(DeviceRequest request, Person person)
    {
        if (request.RequestedByEmail is { Length: > 0 } to)
        {
            var school = db.Schools.AsNoTracking().Where(s => s.Id == request.SchoolId).Select(s => s.Name).FirstOrDefault() ?? request.SchoolId;
            var outcome = request.State == DeviceRequestState.Approved ? "approved" : "refused";
            email.Enqueue(request.SchoolId, to, $"{school}: your device request for {person.GivenName} was {outcome}",
                $"{school} — Brightline\n\nYour request to bring a device into school for {person.FullName} was {outcome}.\n\nSign in to see the decision:\n{Link(request)}\n",
                "device-request-decision", null);
        }
    }

    public async Task RenewalAsync(DeviceRequest request, Person person, CancellationToken cancellationToken)
    {
        var school = await SchoolNameAsync(request.SchoolId, cancellationToken);
        var until = UkFormat.Short(DateOnly.FromDateTime(request.ExpiresAt!.Value.UtcDateTime));
        foreach (var address in new[] { person.Email, request.RequestedByEmail }.OfType<string>().Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            email.Enqueue(request.SchoolId, address, $"{school}: permission for {person.GivenName}'s device ends on {until}",
                $"{school} — Brightline\n\nThe school's permission for {person.FullName}'s device ends on {until}. After that it may not be used in school or on the school's network.\n\nTo ask for it to be renewed, sign in and choose \"Renew\":\n{Link(request)}\n",
                "device-request-renewal", person.Id);
        }
    }

    private async Task<string> SchoolNameAsync(string schoolId, CancellationToken cancellationToken) =>
        await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? schoolId;

    private string Link(DeviceRequest request) => $"{links.BaseUrl()}/devices/requests/{request.Id}";
}
