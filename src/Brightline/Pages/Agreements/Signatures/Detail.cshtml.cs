using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements.Signatures;

/// <summary>A printable record of one signature: the evidence a school shows an inspector or a parent.</summary>
public sealed class DetailModel(PortalScope scope, BrightlineDbContext db, Brightline.Policies.PolicyStore policies) : PageModel
{
    public Signature? Signature { get; private set; }

    public AgreementVersion? Version { get; private set; }

    public string PersonName { get; private set; } = "";

    public string SchoolName { get; private set; } = "";

    /// <summary>The questions answered when signing, in the policy's words where it still asks them (issue 15 part 4).</summary>
    public IReadOnlyList<(string Question, string Answer)> Answers { get; private set; } = [];

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
        var answers = Brightline.Agreements.SignatureAnswers.Read(Signature.Answers);
        if (answers.Count > 0)
        {
            var agreement = (await policies.ActiveAsync(schoolId, cancellationToken)).FindAgreement(Signature.AgreementId);
            Answers = answers.Select(a => (agreement?.Questions.FirstOrDefault(q => q.Id == a.Key)?.Text ?? a.Key, Brightline.Agreements.SignatureAnswers.Show(a.Value))).ToList();
        }

        SchoolName = await db.Schools.Where(s => s.Id == schoolId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? schoolId;
        return Page();
    }
}
