using Brightline.Kernel;
using Brightline.People;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Brightline.Pages.People;

/// <summary>
/// Upload → check (a dry run) → Apply. The checked file is staged in the database by <see cref="ImportStaging"/>
/// (never in this process's memory), so "Apply" — on this portal process or another — applies exactly the file
/// that was checked, once, for the same account at the same school, within the staging time.
/// </summary>
[Authorize(Policy = PortalPolicies.Managers)]
[ImportUploadLimit]
public sealed class ImportModel(PortalScope scope, ImportStaging staging, IOptions<PeopleOptions> options) : PageModel
{
    public const string TooLargeQuery = "too-large";

    public const string NoLengthQuery = "no-length";

    public ImportReport? Report { get; private set; }

    public string? StagedId { get; private set; }

    public DateTimeOffset? StagedUntil { get; private set; }

    public ImportKind Kind { get; private set; } = ImportKind.Pupils;

    /// <summary>"This is the full list" is never preselected (issue 17): marking leavers is an explicit choice.</summary>
    public bool Full { get; private set; }

    public string MaxSize => PeopleOptions.Describe(options.Value.MaxImportBytes);

    public void OnGet(string? refused)
    {
        if (string.Equals(refused, TooLargeQuery, StringComparison.Ordinal))
        {
            ModelState.AddModelError("file", ImportTooLargeException.Describe(options.Value.MaxImportBytes));
        }
        else if (string.Equals(refused, NoLengthQuery, StringComparison.Ordinal))
        {
            ModelState.AddModelError("file", $"The upload did not say how large it was, so it was not read. Upload the file with the form on this page (at most {MaxSize}).");
        }
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, ImportKind kind, bool full, CancellationToken cancellationToken)
    {
        Kind = kind;
        Full = full;
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Choose a CSV file to upload");
            return Page();
        }

        try
        {
            // The form reader buffers a large file on disk, not here; one over the limit is never read into memory.
            if (file.Length > options.Value.MaxImportBytes)
            {
                throw new ImportTooLargeException(options.Value.MaxImportBytes);
            }

            await using var upload = file.OpenReadStream();
            var check = await staging.CheckAsync(scope.RequiredSchoolId, scope.UserId ?? "", scope.UserName, kind, full, upload, cancellationToken);
            Report = check.Report;
            StagedId = check.Id;
            StagedUntil = check.ExpiresAt;
            return Page();
        }
        catch (ImportTooLargeException e)
        {
            ModelState.AddModelError("file", e.Message);
            return new PageResult { StatusCode = ErrorHandling.StatusOf(e) };
        }
    }

    /// <param name="confirmLeavers">
    /// The number of leavers the person typed to confirm (issue 17): blank when the check showed none. Applying refuses
    /// any other number, so a slip — or records that changed since the check — never marks people as leavers.
    /// </param>
    public async Task<IActionResult> OnPostApplyAsync(string? staged, string? confirmLeavers, CancellationToken cancellationToken)
    {
        var typed = confirmLeavers?.Trim();
        var confirmed = 0;
        if (!string.IsNullOrEmpty(typed) && !int.TryParse(typed, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.GetCultureInfo("en-GB"), out confirmed))
        {
            ModelState.AddModelError("file", $"\"{typed}\" is not a number. Nothing was changed. Check the file again and type the number of leavers it shows.");
            return new PageResult { StatusCode = StatusCodes.Status400BadRequest };
        }

        try
        {
            Report = await staging.ApplyAsync(scope.RequiredSchoolId, scope.UserId ?? "", scope.UserName, staged, confirmed, cancellationToken);
            return Page();
        }
        catch (DomainException e) when (e is NotFoundException or ConflictException or GoneException)
        {
            // Not found, already applied, expired: said on the page, with the upload form to check the file again.
            ModelState.AddModelError("file", e.Message);
            return new PageResult { StatusCode = ErrorHandling.StatusOf(e) };
        }
    }
}
