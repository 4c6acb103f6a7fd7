using System.Globalization;
using Brightline.Access;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// Who may join which network, and on which VLAN: the answer to FreeRADIUS's authorize and authenticate calls. The
/// person's access is the access gate's, as for the DNS filter and the portal: network and login must both be allowed
/// (802.1X signs in with the portal password, so an agreement that withholds the login — C1 — withholds it here too;
/// H2's withholds the network). An unsigned person is refused, or placed on the quarantine VLAN when the policy says so.
/// </summary>
/// <remarks>
/// Identity's <see cref="SignInManager{TUser}"/> (with its UserManager, every token provider and their data protectors)
/// and the access gate (with the agreement service behind it) are built only when a request needs them — a password
/// not already verified, an answer not in <see cref="NetworkDecisionCache"/>: a repeated sign-in, most of them when a
/// trust's devices rejoin, builds neither (<see cref="NetworkModule"/> registers the two <see cref="Lazy{T}"/>s).
/// </remarks>
public sealed class NetworkAccess(
    BrightlineDbContext db,
    PolicyStore policies,
    Lazy<AccessGate> gate,
    RadiusAccounts accounts,
    Lazy<SignInManager<ApplicationUser>> signIn,
    DeviceAccess devices,
    GuestAccess guests,
    VerifiedCredentials credentials,
    NetworkDecisionCache decisions,
    FreeRadiusAnswers repeats,
    TimeProvider time)
{
    /// <summary>How long a quarantined session lasts before it is decided again, so a person who has just signed moves to their own VLAN soon.</summary>
    public const int QuarantineSessionSeconds = 600;

    /// <summary>The shortest Session-Timeout sent: a boundary a few seconds away would only make the device reconnect at once.</summary>
    public const int MinSessionSeconds = 60;

    /// <summary>
    /// authorize: the request comes from a network in the policy, for an account at the school. On a people network,
    /// when the password is already in the request (PAP, or PAP inside EAP-TTLS — the only methods Brightline takes),
    /// the whole decision is made here and an Accept tells FreeRADIUS to accept without calling authenticate: one HTTP
    /// call per sign-in instead of two, which is what lets a trust's devices rejoin at once (docs/network.md). The
    /// answer is the one authenticate would give — the same password check, lockout and gate.
    /// </summary>
    public async Task<RadiusAnswer> AuthorizeAsync(string schoolId, RadiusRequest request, CancellationToken cancellationToken)
    {
        var userName = request.UserName;
        var (policy, network, refused, version) = await NetworkForAsync(schoolId, request, RadiusStage.Authorize, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (request.Password is not null && network!.Kind == NetworkKind.People)
        {
            var answer = await CheckAndDecideAsync(schoolId, request, policy!, network, version, cancellationToken);
            return answer.Kind == RadiusAnswerKind.Accept ? answer with { AcceptWithoutPassword = true } : answer;
        }

        if (!await accounts.ExistsAsync(schoolId, userName, cancellationToken))
        {
            return UnknownAccount();
        }

        return request.Password is null
            ? RadiusAnswer.Reject(RadiusReasons.NoPassword, "Network access refused: sign in with a user name and password (PAP, or EAP-TTLS with PAP inside).")
            : RadiusAnswer.Continue;
    }

    /// <summary>authenticate: the password (lockout counted as at the portal), then the gate's answer, the VLAN and the Session-Timeout.</summary>
    public async Task<RadiusAnswer> AuthenticateAsync(string schoolId, RadiusRequest request, CancellationToken cancellationToken)
    {
        var (policy, network, refused, version) = await NetworkForAsync(schoolId, request, RadiusStage.Authenticate, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        return await CheckAndDecideAsync(schoolId, request, policy!, network!, version, cancellationToken);
    }

    /// <summary>The password (lockout counted as at the portal), then the gate's answer, the VLAN and the Session-Timeout.</summary>
    private async Task<RadiusAnswer> CheckAndDecideAsync(string schoolId, RadiusRequest request, SchoolPolicy policy, SchoolNetwork network, long policyVersion,
        CancellationToken cancellationToken)
    {
        var userName = request.UserName;
        var password = request.Password;
        var found = await accounts.FindUserAsync(schoolId, userName, cancellationToken);
        if (found is null)
        {
            return UnknownAccount();
        }

        var (user, personId) = found.Value;

        if (string.IsNullOrEmpty(password))
        {
            return RadiusAnswer.Reject(RadiusReasons.NoPassword, "Network access refused: no password was given.");
        }

        // The fast path (VerifiedCredentials says why it is safe): this password already passed the full check for the
        // account exactly as stored now. Anything else — a different password, a lockout, a counted failure — takes
        // Identity's full check, which counts failures towards the lockout as at the portal.
        if (!credentials.IsVerified(user, password))
        {
            var check = await signIn.Value.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
            if (check.IsLockedOut)
            {
                return RadiusAnswer.Reject(RadiusReasons.LockedOut, "Network access refused: the account is locked after too many wrong passwords; try again later.");
            }

            if (!check.Succeeded)
            {
                credentials.Forget(user);
                return check.IsNotAllowed
                    ? RadiusAnswer.Reject(RadiusReasons.NotAllowed, "Network access refused: the account cannot sign in yet; finish setting it up in the Brightline portal.")
                    : RadiusAnswer.Reject(RadiusReasons.WrongPassword, "Network access refused: the password is not right.");
            }

            credentials.Remember(user, password);
        }

        // A recent plain accept for this person on this network is reused (NetworkDecisionCache says when it is dropped).
        // The person's row is read only when deciding afresh.
        var answer = await decisions.GetOrDecideAsync(policy, network, schoolId, personId, async () =>
            await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken) is { } person
                ? await DecideAsync(policy, network, person, cancellationToken)
                : UnknownAccount());
        if (answer is not { Kind: RadiusAnswerKind.Accept, Code: RadiusReasons.Accepted })
        {
            return answer;
        }

        // FreeRADIUS may repeat this Accept itself for a few minutes (FreeRadiusAnswers says when, and why it stays right).
        answer = repeats.Offer(schoolId, answer, userName, password, policyVersion);
        return network.WhenUnreachable == UnreachableAction.Cached
            ? RadiusUnreachableCache.Allow(answer, network, credentials.OfflineHash(user, password))
            : answer;
    }

    /// <summary>
    /// What Brightline would answer now for the person on the named network, without a password — for a live session
    /// after an access change (Disconnect-Request). Null when there is nothing to decide here: a network that is not for
    /// people (devices, guests), or a session whose network was never known.
    /// </summary>
    public async Task<RadiusAnswer?> DecideForAsync(string schoolId, Guid personId, string? networkName, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        if (networkName is null)
        {
            return null;
        }

        var network = policy.Network.Networks.FirstOrDefault(n => string.Equals(n.Name, networkName, StringComparison.Ordinal));
        if (network is null)
        {
            return RadiusAnswer.Reject(RadiusReasons.UnknownNetwork, $"Network access refused: the network '{networkName}' is no longer in the school's policy.");
        }

        if (network.Kind != NetworkKind.People)
        {
            return null;
        }

        var person = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken);
        return person is null ? UnknownAccount() : await DecideAsync(policy, network, person, cancellationToken);
    }

    private async Task<RadiusAnswer> DecideAsync(SchoolPolicy policy, SchoolNetwork network, Person person, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var access = await gate.Value.EvaluateAsync(person.SchoolId, person.Id, cancellationToken);
        var reasons = access.Items.Where(i => i.Access is AccessKind.Network or AccessKind.Login).SelectMany(i => i.Reasons).ToList();
        if (reasons.FirstOrDefault(r => r.Code == AccessGate.LeftCode) is { } left)
        {
            return RadiusAnswer.Reject(RadiusReasons.Left, $"Network access refused: this account's owner left the school on {UkFormat.Long(left.Since ?? SchoolClock.Today(time))}.");
        }

        if (reasons.Any(r => r.Code == SanctionRules.SuspendedCode))
        {
            var active = await SanctionRules.ActiveAsync(db, person.SchoolId, person.Id, now, cancellationToken);
            var end = active.Where(s => s.Kind == SanctionKind.SuspendAccount).Select(s => s.EndsAt).ToList();
            var until = end.Count > 0 && end.All(e => e is not null) ? $"until {UkFormat.DateTime(end.Max()!.Value)}" : "until further notice";
            return RadiusAnswer.Reject(RadiusReasons.Suspended, $"Network access refused: the account is suspended {until}.");
        }

        if (reasons.Count > 0)
        {
            var unsigned = reasons.Where(r => r.Code == AccessGate.UnsignedCode).ToList();
            if (unsigned.Count < reasons.Count)
            {
                // A refusal this code does not know how to word: say the gate refused rather than guess.
                return RadiusAnswer.Reject(RadiusReasons.Refused, "Network access refused by the school's policy; see the person's access in the Brightline portal.");
            }

            var titles = unsigned.Select(r => r.AgreementId is { } id ? policy.FindAgreement(id)?.Title ?? id : "the acceptable use agreement")
                .Distinct(StringComparer.Ordinal).Select(t => $"\"{t}\"");
            var what = $"{string.Join(" and ", titles)} must be signed first";
            if (policy.Network.Unsigned == UnsignedNetworkAction.Quarantine && policy.Network.Quarantine?.Vlan is { } quarantine)
            {
                return new RadiusAnswer(RadiusAnswerKind.Accept, RadiusReasons.Quarantined,
                    $"Limited access until signed: {what}. Open the Brightline portal to sign.")
                {
                    Vlan = quarantine.ToString(CultureInfo.InvariantCulture),
                    SessionTimeoutSeconds = QuarantineSessionSeconds,
                };
            }

            return RadiusAnswer.Reject(RadiusReasons.Unsigned, $"Network access refused: {what}. Sign it in the Brightline portal.");
        }

        var vlan = PersonGroups.For(policy, person)
            .Select(g => network.Vlans.TryGetValue(g.Id, out var v) ? v : (int?)null)
            .FirstOrDefault(v => v is not null);
        if (vlan is null)
        {
            return RadiusAnswer.Reject(RadiusReasons.NoVlan, $"Network access refused: this account's group has no place on the network '{network.Name}'.");
        }

        // Where as well as who: the network's and its location's opening hours for the person's groups (docs/network.md#locations).
        var groups = PersonGroups.For(policy, person).Select(g => g.Id).ToList();
        var where = NetworkWhere.Evaluate(policy, network, policy.Network.FindLocation(network.Location), groups, now, SchoolClock.Zone);
        if (!where.Open)
        {
            return RadiusAnswer.Reject(RadiusReasons.Closed, $"Network access refused: {where.ClosedWords}.");
        }

        return new RadiusAnswer(RadiusAnswerKind.Accept, RadiusReasons.Accepted)
        {
            Vlan = vlan.Value.ToString(CultureInfo.InvariantCulture),
            SessionTimeoutSeconds = await SessionSecondsAsync(policy, person, now, where.NextChange, cancellationToken),
        };
    }

    /// <summary>
    /// Seconds to the next moment the answer could change that can be known now: the policy's cap, the day the person
    /// leaves, a suspension already imposed to start later, the next academic year (when agreements renew), and the
    /// network's or location's next closing time for the person (<paramref name="closes"/>).
    /// Changes nobody can foresee (a sanction imposed later) wait for Disconnect-Request, which is not built yet.
    /// </summary>
    private async Task<int> SessionSecondsAsync(SchoolPolicy policy, Person person, DateTimeOffset now, DateTimeOffset? closes, CancellationToken cancellationToken)
    {
        var until = now.AddHours(policy.Network.MaxSessionHours);
        if (closes is { } close)
        {
            until = Min(until, close);
        }

        if (person.LeftOn is { } left)
        {
            until = Min(until, SchoolClock.StartOf(left));
        }

        var pending = await db.Set<Sanction>().AsNoTracking()
            .Where(s => s.SchoolId == person.SchoolId && s.PersonId == person.Id && s.LiftedAt == null && s.Kind == SanctionKind.SuspendAccount)
            .Select(s => s.StartsAt).ToListAsync(cancellationToken);
        foreach (var start in pending.Where(s => s > now))
        {
            until = Min(until, start);
        }

        var today = SchoolClock.DateOf(now);
        var nextYear = policy.School.Calendar.AcademicYearStart(today.AddYears(1));
        until = Min(until, SchoolClock.StartOf(nextYear));
        return Math.Max(MinSessionSeconds, (int)Math.Ceiling((until - now).TotalSeconds));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static RadiusAnswer UnknownAccount() =>
        RadiusAnswer.Reject(RadiusReasons.UnknownAccount, "Network access refused: there is no Brightline account with that user name at this school.");

    /// <summary>
    /// The policy and the network the request comes from, or the answer when it is not one people sign in to: a refusal,
    /// or on a school-devices or guest network the whole answer (<see cref="DeviceAccess"/>, <see cref="GuestAccess"/>).
    /// </summary>
    private async Task<(SchoolPolicy? Policy, SchoolNetwork? Network, RadiusAnswer? Refused, long Version)> NetworkForAsync(
        string schoolId, RadiusRequest request, RadiusStage stage, CancellationToken cancellationToken)
    {
        SchoolPolicy policy;
        long version;
        try
        {
            // The parsed policy alone (one indexed query; the YAML is parsed once per version): this runs twice per sign-in.
            (version, policy) = await policies.ActivePolicyWithIdAsync(schoolId, cancellationToken);
        }
        catch (NotFoundException)
        {
            return (null, null, RadiusAnswer.Reject(RadiusReasons.NoPolicy, "Network access refused: the school has no policy loaded in Brightline."), 0);
        }

        var network = policy.Network.Find(request.NasIdentifier, request.Ssid);
        var refused = network?.Kind switch
        {
            null => RadiusAnswer.Reject(RadiusReasons.UnknownNetwork,
                "Network access refused: this network (its NAS-Identifier or SSID) is not in the school's policy."),
            NetworkKind.People => null,
            NetworkKind.SchoolDevices => await devices.DecideAsync(schoolId, policy, network, request, stage, cancellationToken),
            NetworkKind.Guest => await guests.DecideAsync(schoolId, policy, network, request, stage, cancellationToken),
            NetworkKind.Quarantine => RadiusAnswer.Reject(RadiusReasons.QuarantineDirect,
                $"Network access refused: '{network.Name}' is where unsigned people are placed; it cannot be joined directly."),
            _ => throw new ArgumentOutOfRangeException(nameof(request), network.Kind, "Unknown network kind."),
        };
        return (policy, network, refused, version);
    }
}
