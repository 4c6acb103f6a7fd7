using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

public sealed record ClassCompliance(string ClassName, int People, int Signed, int Due, int Overdue);
