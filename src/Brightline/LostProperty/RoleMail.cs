using Brightline.Data;
using Brightline.Email;
using Brightline.People;
using Brightline.Policies;

namespace Brightline.LostProperty;

/// <summary>Queues one email to every holder of the given policy roles, each address once (the caller saves).</summary>
public static class RoleMail
{
    public static async Task<int> QueueAsync(
        BrightlineDbContext db, PolicyStore policies, EmailSender email, string schoolId, IEnumerable<string> roles,
        string subject, string body, string purpose, CancellationToken cancellationToken)
    {
        var sent = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            foreach (var (address, personId) in await RoleHolders.EmailsAsync(db, policies, schoolId, role, cancellationToken))
            {
                if (sent.Add(address))
                {
                    email.Enqueue(schoolId, address, subject, body, purpose, personId);
                }
            }
        }

        return sent.Count;
    }
}
