using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// Guest vouchers on a guest network (O22: visitors use the Wi-Fi only with the Head's authorisation, for official
/// capacity or a visit's purpose). authorize: the voucher exists and is valid now (else a refusal in words);
/// authenticate: its password, then the guest network's VLAN and a Session-Timeout of the voucher's remaining seconds
/// (at most the policy's longest session), so the controller ends the session when the voucher ends. A portal account
/// is refused here: staff and pupils have their own networks.
/// </summary>
public sealed class GuestAccess(BrightlineDbContext db, RadiusAccounts accounts, GuestVouchers vouchers, TimeProvider time)
{
    public async Task<RadiusAnswer> DecideAsync(string schoolId, SchoolPolicy policy, SchoolNetwork network, RadiusRequest request, RadiusStage stage, CancellationToken cancellationToken)
    {
        var userName = request.UserName.ToLowerInvariant();
        var voucher = await db.Set<GuestVoucher>().AsNoTracking()
            .FirstOrDefaultAsync(g => g.SchoolId == schoolId && g.UserName == userName, cancellationToken);
        if (voucher is null)
        {
            var (_, account) = await accounts.FindAsync(schoolId, request.UserName, cancellationToken);
            return account is not null
                ? RadiusAnswer.Reject(RadiusReasons.AccountOnGuestNetwork,
                    $"Network access refused: '{network.Name}' is for visitors with a guest voucher; sign in to the school's own network with a Brightline account.")
                : RadiusAnswer.Reject(RadiusReasons.UnknownVoucher,
                    $"Network access refused: there is no guest voucher with that user name for '{network.Name}'. Ask the school office for one.");
        }

        var now = time.GetUtcNow();
        if (voucher.RevokedAt is { } revoked)
        {
            return RadiusAnswer.Reject(RadiusReasons.VoucherRevoked, $"Network access refused: this guest voucher was withdrawn on {UkFormat.DateTime(revoked)}.");
        }

        if (now < voucher.ValidFrom)
        {
            return RadiusAnswer.Reject(RadiusReasons.VoucherNotYet, $"Network access refused: this guest voucher is valid from {UkFormat.DateTime(voucher.ValidFrom)}.");
        }

        if (now >= voucher.ValidUntil)
        {
            return RadiusAnswer.Reject(RadiusReasons.VoucherEnded, $"Network access refused: this guest voucher ended on {UkFormat.DateTime(voucher.ValidUntil)}.");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            return RadiusAnswer.Reject(RadiusReasons.NoPassword, "Network access refused: sign in with the voucher's user name and password.");
        }

        if (stage == RadiusStage.Authorize)
        {
            return RadiusAnswer.Continue;
        }

        if (!vouchers.PasswordMatches(voucher, request.Password))
        {
            return RadiusAnswer.Reject(RadiusReasons.VoucherWrongPassword, "Network access refused: the voucher's password is not right.");
        }

        var remaining = (int)Math.Ceiling((voucher.ValidUntil - now).TotalSeconds);
        return new RadiusAnswer(RadiusAnswerKind.Accept, RadiusReasons.GuestAccepted)
        {
            Vlan = network.Vlan?.ToString(CultureInfo.InvariantCulture),
            SessionTimeoutSeconds = Math.Max(1, Math.Min(remaining, policy.Network.MaxSessionHours * 3600)),
        };
    }
}
