using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements.Sign;

/// <summary>What the signed-in user still has to sign: their own agreements, and (for a parent) their children's that need a parent.</summary>
public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, AgreementService agreements) : PageModel
{
    public IReadOnlyList<SignItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = await OutstandingAsync(scope, db, agreements, cancellationToken);
    }

    public static async Task<IReadOnlyList<SignItem>> OutstandingAsync(PortalScope scope, BrightlineDbContext db, AgreementService agreements, CancellationToken cancellationToken)
    {
        var items = new List<SignItem>();
        if (scope.SchoolId is not { } school || scope.PersonId is not { } self)
        {
            return items;
        }

        var me = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == self, cancellationToken);
        if (me is null)
        {
            return items;
        }

        foreach (var r in await agreements.ForPersonAsync(school, self, cancellationToken))
        {
            if (r.NeedsSelf && !r.SelfSigned)
            {
                items.Add(new SignItem(me, r, true, "/sign/" + Uri.EscapeDataString(r.AgreementId)));
            }
        }

        if (scope.HasRole(PortalRoles.Parent))
        {
            var childIds = db.ParentLinks.Where(l => l.SchoolId == school && l.ParentId == self).Select(l => l.ChildId);
            var children = await db.People.AsNoTracking().Where(p => childIds.Contains(p.Id) && p.LeftOn == null).OrderBy(p => p.GivenName).ToListAsync(cancellationToken);
            foreach (var child in children)
            {
                foreach (var r in await agreements.ForPersonAsync(school, child.Id, cancellationToken))
                {
                    if (r.NeedsParent && !r.ParentSigned)
                    {
                        items.Add(new SignItem(child, r, false, $"/sign/{Uri.EscapeDataString(r.AgreementId)}?for={child.Id}"));
                    }
                }
            }
        }

        return items;
    }
}
