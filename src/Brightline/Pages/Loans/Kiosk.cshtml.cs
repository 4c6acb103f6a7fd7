using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Loans;

/// <summary>
/// The loan kiosk (C15), for a busy teacher at the suite's tablet or on their phone: type or scan the tag; a device
/// that is out is offered back in (with the suite and charge ticks the policy asks for); one that is in goes out in
/// three taps — who (their class first, or "me"), what for, sign out — due at the end of the day unless changed.
/// </summary>
[Authorize(Roles = PortalRoles.LoanStaffNames)]
public sealed class KioskModel(PortalScope scope, LoanBook book, PolicyStore policies, TimeProvider time) : PageModel
{
    /// <summary>The quick picks for the purpose; "Other" opens a box.</summary>
    public static readonly IReadOnlyList<string> Purposes = ["Lesson", "Reading", "Research", "Assessment", "Club", "Trip"];

    [BindProperty(SupportsGet = true)]
    public string? Tag { get; set; }

    /// <summary>"me", "class:4 Ash" or "adult" (with <see cref="AdultId"/>).</summary>
    [BindProperty]
    public string? Borrower { get; set; }

    [BindProperty]
    public Guid? AdultId { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public string? PurposeOther { get; set; }

    /// <summary>A due time today (HH:mm, UK time); empty for the end of the day.</summary>
    [BindProperty]
    public string? DueTime { get; set; }

    [BindProperty]
    public long? LoanId { get; set; }

    [BindProperty]
    public bool ReturnedToSuite { get; set; }

    [BindProperty]
    public bool Charged { get; set; }

    /// <summary>What just happened, shown above a fresh tag box (after a redirect, so a refresh repeats nothing).</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public Device? Device { get; private set; }

    public LoanRow? Open { get; private set; }

    public string? Unavailable { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> Classes { get; private set; } = [];

    public string? MyClass { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Adults { get; private set; } = [];

    public LoanPolicy Rules { get; private set; } = LoanPolicy.Default;

    public DateTimeOffset DefaultDue { get; private set; }

    public bool HasPerson => scope.PersonId is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostOutAsync(CancellationToken cancellationToken)
    {
        try
        {
            var school = scope.RequiredSchoolId;
            var purpose = !string.IsNullOrWhiteSpace(PurposeOther) ? PurposeOther : string.Equals(Purpose, "other", StringComparison.Ordinal) ? null : Purpose;
            var me = string.Equals(Borrower, "me", StringComparison.Ordinal);
            var className = Borrower is { } b && b.StartsWith("class:", StringComparison.Ordinal) ? b["class:".Length..] : null;
            Guid? adult = string.Equals(Borrower, "adult", StringComparison.Ordinal)
                ? AdultId ?? throw new InvalidException("Choose the adult who is taking the device.")
                : null;
            DateTimeOffset? due = null;
            if (!string.IsNullOrWhiteSpace(DueTime))
            {
                if (!TimeOnly.TryParseExact(DueTime.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    throw new InvalidException("Enter the due time as hours and minutes, for example 14:30.");
                }

                due = SchoolClock.FromUk(SchoolClock.Today(time).ToDateTime(at));
            }

            var loan = await book.SignOutAsync(Actor(school), new NewLoan(Tag, adult, className, me, purpose, due), cancellationToken);
            return Redirect(PortalHtml.Link("/loans/kiosk", ("done", "out:" + loan.Id.ToString(CultureInfo.InvariantCulture))));
        }
        catch (DomainException e) when (e is InvalidException or ConflictException)
        {
            Error = e.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostReturnAsync(CancellationToken cancellationToken)
    {
        try
        {
            var school = scope.RequiredSchoolId;
            var loan = await book.ReturnAsync(Actor(school), LoanId ?? throw new InvalidException("Choose the loan to sign back in."),
                new LoanReturn(ReturnedToSuite, Charged), cancellationToken);
            return Redirect(PortalHtml.Link("/loans/kiosk", ("done", "in:" + loan.Id.ToString(CultureInfo.InvariantCulture))));
        }
        catch (DomainException e) when (e is InvalidException or ConflictException or NotFoundException)
        {
            Error = e.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    /// <summary>The loan named by <see cref="Done"/>, for the confirmation line.</summary>
    public LoanRow? DoneLoan { get; private set; }

    public bool DoneOut => Done?.StartsWith("out:", StringComparison.Ordinal) == true;

    private LoanActor Actor(string school) => new(school, scope.UserName, scope.PersonId);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        Rules = policy.Devices.Loans;
        DefaultDue = LoanBook.DefaultDue(policy, StoredTime.Now(time));
        if (Done is { } done && done.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            && long.TryParse(done[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            DoneLoan = await book.LoanAsync(school, id, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(Tag))
        {
            return;
        }

        var found = await book.FindByTagAsync(school, Tag, cancellationToken);
        if (found is not { } f)
        {
            Unavailable ??= $"No device at the school has the asset tag '{Tag.Trim()}'. Check the label and try again.";
            return;
        }

        Device = f.Device;
        Open = f.Open;
        Tag = f.Device.AssetTag;
        if (Open is null)
        {
            Unavailable = LoanBook.WhyNotAvailable(f.Device, null);
        }

        if (Open is null && Unavailable is null)
        {
            var classes = await book.ClassesAsync(school, cancellationToken);
            MyClass = await scope.TeacherClassAsync(cancellationToken);
            // Their own class first, then the rest in order.
            Classes = MyClass is { } mine && classes.Contains(mine, StringComparer.Ordinal) ? [mine, .. classes.Where(c => c != mine)] : classes;
            Adults = await book.AdultsAsync(school, cancellationToken);
        }
    }
}
