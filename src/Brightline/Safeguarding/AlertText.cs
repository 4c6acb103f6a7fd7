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

    /// <summary>An alert's stored context split around the highlighted span (clamped, so a purged or odd capture never throws).</summary>
    public static (string Before, string Match, string After) Parts(MonitoringAlert? alert)
    {
        var text = alert?.Context ?? "";
        var start = Math.Clamp(alert?.HighlightStart ?? 0, 0, text.Length);
        var length = Math.Clamp(alert?.HighlightLength ?? 0, 0, text.Length - start);
        return (text[..start], text.Substring(start, length), text[(start + length)..]);
    }
}
