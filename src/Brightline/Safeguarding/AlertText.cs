using Brightline.Data.Entities;

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

    public static string Describe(this MonitoringExceptionState state) => state switch
    {
        MonitoringExceptionState.Proposed => "Proposed",
        MonitoringExceptionState.Approved => "Approved",
        MonitoringExceptionState.Rejected => "Rejected",
        MonitoringExceptionState.Withdrawn => "Withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not an exception state."),
    };
}
