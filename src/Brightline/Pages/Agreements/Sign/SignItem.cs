using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements.Sign;

public sealed record SignItem(Person Person, RequiredAgreement Agreement, bool ForSelf, string Link);
