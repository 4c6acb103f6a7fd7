using Brightline.Agreements;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.People;

public sealed record PersonRow(Person Person, string Groups, int Required, int Due, int Overdue);
