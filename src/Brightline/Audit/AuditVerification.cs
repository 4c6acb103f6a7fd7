using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Audit;

public sealed record AuditVerification(long Checked, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}
