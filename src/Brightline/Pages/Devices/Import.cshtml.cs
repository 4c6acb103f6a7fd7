using Brightline.Devices;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Devices;

/// <summary>
/// Upload → check (a dry run, with every bad row's row number, column and message) → Apply, as People → Import: the
/// checked file is staged in the database (<see cref="DeviceImportStaging"/>) and "Apply" applies exactly that file, once.
/// </summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class ImportModel(PortalScope scope, DeviceImportStaging staging) : PageModel
{
    public DeviceImportReport? Report { get; private set; }
    public string? StagedId { get; private set; }
    public DateTimeOffset? StagedUntil { get; private set; }
    public string? Error { get; private set; }
    public string MaxSize => PeopleOptions.Describe(staging.MaxBytes);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Choose a CSV file to upload.";
            return Page();
        }

        try
        {
            if (file.Length > staging.MaxBytes)
            {
                throw new ImportTooLargeException(staging.MaxBytes);
            }

            await using var upload = file.OpenReadStream();
            var check = await staging.CheckAsync(scope.RequiredSchoolId, scope.UserId ?? "", scope.UserName, upload, cancellationToken);
            (StagedId, Report, StagedUntil) = (check.Report.Errors.Count == 0 ? check.Id : null, check.Report, check.ExpiresAt);
            return Page();
        }
        catch (ImportTooLargeException e)
        {
            Error = e.Message;
            return new PageResult { StatusCode = ErrorHandling.StatusOf(e) };
        }
    }

    public async Task<IActionResult> OnPostApplyAsync(string? staged, CancellationToken cancellationToken)
    {
        try
        {
            Report = await staging.ApplyAsync(scope.RequiredSchoolId, scope.UserId ?? "", scope.UserName, staged, cancellationToken);
            return Page();
        }
        catch (DomainException e) when (e is NotFoundException or ConflictException or GoneException)
        {
            Error = e.Message;
            return new PageResult { StatusCode = ErrorHandling.StatusOf(e) };
        }
    }
}
