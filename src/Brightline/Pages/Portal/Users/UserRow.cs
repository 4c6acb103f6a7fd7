using Brightline.Data.Entities;

namespace Brightline.Pages.Portal.Users;

public sealed record UserRow(ApplicationUser User, IReadOnlyList<string> Roles);
