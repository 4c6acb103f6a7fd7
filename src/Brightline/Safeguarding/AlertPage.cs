using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

public sealed record AlertPage(IReadOnlyList<AlertRow> Rows, int Total, int Page, int Pages, int PageSize);
