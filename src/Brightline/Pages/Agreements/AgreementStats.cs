using Brightline.Agreements;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements;

public sealed record AgreementStats(Brightline.Policy.Model.Agreement Agreement, int Required, int Signed, int Due, int Overdue, int AwaitingParent);
