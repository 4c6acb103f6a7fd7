using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

public sealed record CustodyView(CustodyItem Item, Person? Owner, Incident? Incident, IReadOnlyList<CustodyStep> Steps)
{
    public CustodyStepKind? LastKind => Steps.Count == 0 ? null : Steps[^1].Kind;
    public bool IsClosed => LastKind is { } k && CustodySteps.Closes(k);
}
