using Brightline.Data.Entities;

namespace Brightline.Pages.People;

public sealed record PersonRow(Person Person, string Groups, int Required, int Due, int Overdue);
