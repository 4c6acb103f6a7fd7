namespace Brightline.LostProperty;

/// <summary>The lost-property list's tabs: logged but not handed over, held, past the hold, and closed.</summary>
public static class LostPropertyTabs
{
    public const string Found = "found";
    public const string Held = "held";
    public const string Due = "due";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<(string Key, string Label)> All =
        [(Found, "Found, not yet handed over"), (Held, "Held"), (Due, "Due for disposal"), (Closed, "Closed")];

    public static string Normalise(string? tab) => All.Any(t => string.Equals(t.Key, tab, StringComparison.Ordinal)) ? tab! : Found;
}
