using Brightline.Data.Entities;

namespace Brightline.Custody;

/// <summary>The kinds of step in a device's chain of custody (stored as <see cref="CustodyStepKinds"/>), what each needs and how it reads.</summary>
public static class CustodySteps
{
    /// <summary>Steps a user may add after the first, in the order offered on the form.</summary>
    public static readonly IReadOnlyList<CustodyStepKind> Addable =
        [CustodyStepKind.Handover, CustodyStepKind.Stored, CustodyStepKind.External, CustodyStepKind.Returned, CustodyStepKind.Disposed];

    public static bool Closes(CustodyStepKind kind) => kind is CustodyStepKind.Returned or CustodyStepKind.Disposed;

    public static string Describe(this CustodyStepKind kind) => kind switch
    {
        CustodyStepKind.Taken => "Taken",
        CustodyStepKind.Handover => "Handed over",
        CustodyStepKind.External => "Handed to an outside body",
        CustodyStepKind.Stored => "Put in storage",
        CustodyStepKind.Returned => "Returned",
        CustodyStepKind.Disposed => "Disposed of",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a custody step."),
    };

    /// <summary>Where the device is, from the last step: what a list of devices shows.</summary>
    public static string Status(CustodyStepKind? lastKind) => lastKind switch
    {
        CustodyStepKind.Returned => "Returned",
        CustodyStepKind.Disposed => "Disposed of",
        CustodyStepKind.External => "With an outside body",
        CustodyStepKind.Stored => "In storage",
        CustodyStepKind.Taken or CustodyStepKind.Handover or null => "Held by staff",
        _ => throw new ArgumentOutOfRangeException(nameof(lastKind), lastKind, "Not a custody step."),
    };

    /// <summary>Status filter values for the register: held (any step that leaves it with the school), external, returned, disposed.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Filters =
        [("held", "Held by the school"), ("external", "With an outside body"), ("returned", "Returned"), ("disposed", "Disposed of")];
}
