using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Network;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Network;

/// <summary>
/// Guest Wi-Fi vouchers (O22: visitors use the Wi-Fi only with the Head's authorisation, for official capacity or a
/// visit's purpose): the school's vouchers with their status, issuing one (form, check, confirm, then the printable
/// card that shows the password this once) and withdrawing one (with a confirmation). Only the roles the policy's
/// <c>network.guests.issued_by</c> names (default the head) open the page.
/// </summary>
public sealed class GuestsModel(PortalScope scope, GuestVouchers vouchers, TimeProvider time) : PageModel
{
    public const int Shown = 200;

    private static readonly string[] s_formats = ["dd/MM/yyyy HH:mm", "d/M/yyyy HH:mm", "d/M/yyyy H:mm", "dd/MM/yyyy"];

    [BindProperty]
    public string? VisitorName { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public string? ValidFrom { get; set; }

    [BindProperty]
    public string? ValidUntil { get; set; }

    public IReadOnlyList<GuestVoucher> Vouchers { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public bool Confirming { get; private set; }

    public DateTimeOffset ParsedFrom { get; private set; }

    public DateTimeOffset ParsedUntil { get; private set; }

    /// <summary>The voucher just issued, with its password: the card to print.</summary>
    public IssuedVoucher? Issued { get; private set; }

    /// <summary>The voucher whose withdrawal is being confirmed.</summary>
    public GuestVoucher? Revoking { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        var from = TimeZoneInfo.ConvertTime(Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime;
        ValidFrom ??= from.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        ValidUntil ??= (from.Hour < 17 ? from.Date.AddHours(17) : from.AddHours(2)).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostReviewAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        Confirming = Validate();
        return Page();
    }

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        if (!Validate())
        {
            return Page();
        }

        try
        {
            Issued = await vouchers.IssueAsync(new IssueVoucher(scope.RequiredSchoolId, VisitorName!, Purpose!, ParsedFrom, ParsedUntil, scope.UserName, scope.ClientAddress), cancellationToken);
        }
        catch (DomainException e) when (e is InvalidException or ConflictException)
        {
            Error = e.Message;
            return Page();
        }

        Vouchers = await vouchers.ListAsync(scope.RequiredSchoolId, Shown, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        Revoking = Vouchers.FirstOrDefault(v => v.Id == id);
        return Revoking is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostRevokeConfirmAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            var voucher = await vouchers.RevokeAsync(scope.RequiredSchoolId, id, scope.UserName, scope.ClientAddress, cancellationToken);
            Message = $"The voucher {voucher.UserName} for {voucher.VisitorName} is withdrawn: its next sign-in is refused.";
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ConflictException e)
        {
            Error = e.Message;
        }

        Vouchers = await vouchers.ListAsync(scope.RequiredSchoolId, Shown, cancellationToken);
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(await vouchers.IssuersAsync(scope.RequiredSchoolId, cancellationToken)))
        {
            return Forbid();
        }

        Now = time.GetUtcNow();
        Vouchers = await vouchers.ListAsync(scope.RequiredSchoolId, Shown, cancellationToken);
        return null;
    }

    private bool Validate()
    {
        if (string.IsNullOrWhiteSpace(VisitorName))
        {
            Error = "Enter the visitor's name.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(Purpose))
        {
            Error = "Enter the purpose of the visit or the official capacity: guest Wi-Fi is only for one (O22).";
            return false;
        }

        if (!TryParse(ValidFrom, out var from) || !TryParse(ValidUntil, out var until))
        {
            Error = "Enter the start and end as a date and time, for example 31/01/2027 15:30.";
            return false;
        }

        if (until <= from)
        {
            Error = "The voucher must end after it starts.";
            return false;
        }

        if (until - from > GuestVouchers.LongestValidity)
        {
            Error = $"A voucher lasts at most {GuestVouchers.LongestValidity.TotalDays:0} days.";
            return false;
        }

        if (until <= Now)
        {
            Error = "The end is in the past; choose an end in the future.";
            return false;
        }

        (ParsedFrom, ParsedUntil) = (from, until);
        return true;
    }

    private static bool TryParse(string? text, out DateTimeOffset at)
    {
        at = default;
        if (string.IsNullOrWhiteSpace(text) || !DateTime.TryParseExact(text.Trim(), s_formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        at = SchoolClock.FromUk(local);
        return true;
    }
}
