using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

/// <summary>The kinds of step in a device's chain of custody, and what each needs.</summary>
public static class CustodySteps
{
    /// <summary>The member of staff who took the device (or was handed it) received it first.</summary>
    public const string Taken = "taken";
    public const string Handover = "handover";
    /// <summary>Handed to an outside body (the police, the local authority designated officer …) with their reference.</summary>
    public const string External = "external";
    public const string Stored = "stored";
    public const string Returned = "returned";
    public const string Disposed = "disposed";

    /// <summary>Steps a user may add after the first, in the order offered on the form.</summary>
    public static readonly IReadOnlyList<string> Addable = [Handover, Stored, External, Returned, Disposed];

    public static bool Closes(string kind) => kind is Returned or Disposed;

    public static string Describe(string kind) => kind switch
    {
        Taken => "Taken",
        Handover => "Handed over",
        External => "Handed to an outside body",
        Stored => "Put in storage",
        Returned => "Returned",
        Disposed => "Disposed of",
        _ => kind,
    };

    /// <summary>Where the device is, from the last step: what a list of devices shows.</summary>
    public static string Status(string? lastKind) => lastKind switch
    {
        Returned => "Returned",
        Disposed => "Disposed of",
        External => "With an outside body",
        Stored => "In storage",
        _ => "Held by staff",
    };

    /// <summary>Status filter values for the register: held (any step that leaves it with the school), external, returned, disposed.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Filters =
        [("held", "Held by the school"), ("external", "With an outside body"), ("returned", "Returned"), ("disposed", "Disposed of")];
}
