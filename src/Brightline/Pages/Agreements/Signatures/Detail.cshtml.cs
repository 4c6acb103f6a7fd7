using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements.Signatures;

/// <summary>A printable record of one signature: the evidence a school shows an inspector or a parent.</summary>
public sealed class DetailModel(PortalScope scope, BrightlineDbContext db) : PageModel
{
    public Signature? Signature { get; private set; }

    public AgreementVersion? Version { get; private set; }

    public string PersonName { get; private set; } = "";

    public string SchoolName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Signature = await db.Signatures.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        // Same scope rule as the person page: a signature for someone you may not see does not exist for you.
        var person = Signature is null ? null : await scope.FindPersonAsync(Signature.PersonId, cancellationToken);
        if (Signature is null || person is null)
        {
            return NotFound();
        }

        PersonName = person.FullName;
        var versionId = Signature.AgreementVersionId;
        Version = await db.AgreementVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        var schoolId = Signature.SchoolId;
        SchoolName = await db.Schools.Where(s => s.Id == schoolId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? schoolId;
        return Page();
    }
}
