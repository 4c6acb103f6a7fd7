using System.Collections.Concurrent;
using System.Security.Cryptography;
using Brightline.People;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.People;

/// <summary>
/// Upload → dry run → Apply. The uploaded bytes are kept in memory for a short while between the two steps
/// (keyed by a random id and the user), so "Apply" applies exactly the file that was checked.
/// </summary>
[Authorize(Policy = PortalPolicies.Managers)]
[RequestSizeLimit(20 * 1024 * 1024)]
public sealed class ImportModel(PortalScope scope, PeopleImporter importer, TimeProvider time) : PageModel
{
    private static readonly ConcurrentDictionary<string, (string UserId, byte[] Bytes, DateTimeOffset At)> s_staged = new(StringComparer.Ordinal);

    public ImportReport? Report { get; private set; }

    public string? StagedId { get; private set; }

    public ImportKind Kind { get; private set; } = ImportKind.Pupils;

    public bool Full { get; private set; } = true;

    public void OnGet()
    {
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

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        Report = await importer.ImportAsync(scope.RequiredSchoolId, new MemoryStream(bytes), kind, new ImportOptions(DryRun: true, FullImport: full), scope.UserName, cancellationToken);
        Prune();
        StagedId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        s_staged[StagedId] = (scope.UserId ?? "", bytes, time.GetUtcNow());
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(string? staged, ImportKind kind, bool full, CancellationToken cancellationToken)
    {
        Kind = kind;
        Full = full;
        if (staged is null || !s_staged.TryRemove(staged, out var entry) || !string.Equals(entry.UserId, scope.UserId ?? "", StringComparison.Ordinal))
        {
            ModelState.AddModelError("file", "That check has expired. Upload the file again.");
            return Page();
        }

        Report = await importer.ImportAsync(scope.RequiredSchoolId, new MemoryStream(entry.Bytes), kind, new ImportOptions(DryRun: false, FullImport: full), scope.UserName, cancellationToken);
        return Page();
    }

    private void Prune()
    {
        var cutoff = time.GetUtcNow().AddMinutes(-30);
        foreach (var (key, value) in s_staged)
        {
            if (value.At < cutoff)
            {
                s_staged.TryRemove(key, out _);
            }
        }
    }
}
