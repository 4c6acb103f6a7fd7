using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Severity = Brightline.Monitoring.Severity;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>How alert outcomes read on screen (the stored words are in <see cref="AlertOutcomes"/>).</summary>
public static class AlertText
{
    public static string Describe(this AlertOutcome outcome) => outcome switch
    {
        AlertOutcome.FalsePositive => "False positive",
        AlertOutcome.NoAction => "Looked at: no action needed",
        AlertOutcome.Escalated => "Escalated",
        AlertOutcome.Resolved => "Resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an alert outcome."),
    };
}
