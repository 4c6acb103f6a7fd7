using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Safeguarding;
using Brightline.Policies;
using Brightline.Sanctions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Reports;

/// <summary>A count under a label, e.g. ("Behaviour", 3).</summary>
public sealed record LabelledCount(string Label, int Value);
