namespace Brightline.Policy.Model;

/// <summary>
/// A place the school's networks belong to — a boarding house, the main building, the sports hall (issue 13, "where
/// as well as who"). Its <see cref="Hours"/> say when its networks are open to which groups, and its
/// <see cref="Filtering"/> which filtering profile a person gets while their device is on one of its networks. Keys:
/// docs/network.md#locations.
/// </summary>
public sealed record NetworkLocation
{
    public required string Name { get; init; }
    /// <summary>When the location's networks are open, per group; a group no line names is not limited here.</summary>
    public IReadOnlyList<NetworkHours> Hours { get; init; } = [];
    /// <summary>The filtering profile a group gets here, perhaps only at some times; the first line that applies wins.</summary>
    public IReadOnlyList<LocationProfile> Filtering { get; init; } = [];
    /// <summary>Requirement IDs the location's rules implement.</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];
}

/// <summary>
/// One opening window of a network or location: for <see cref="Groups"/> (empty = everyone), on <see cref="Days"/>
/// (empty = every day) and <see cref="On"/>, from <see cref="From"/> to <see cref="To"/> in school local time. A window
/// whose end is before its start runs past midnight and belongs to the day it starts on ("Friday 19:00–01:00").
/// </summary>
public sealed record NetworkHours
{
    /// <summary>Words for the days, used in a refusal ("closes at 21:30 on school nights"); absent = the days spelled out.</summary>
    public string? Name { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];
    public ScheduleDays On { get; init; } = ScheduleDays.AnyDay;
    public required ScheduleWindow Window { get; init; }
}

/// <summary>
/// At a location, members of <see cref="Groups"/> are filtered by the profile of the group <see cref="Profile"/>
/// (a group with a <c>filtering.profiles</c> entry) instead of their own — always, or only on <see cref="Days"/> /
/// <see cref="On"/> within <see cref="Window"/>.
/// </summary>
public sealed record LocationProfile
{
    public IReadOnlyList<string> Groups { get; init; } = [];
    public required string Profile { get; init; }
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];
    public ScheduleDays On { get; init; } = ScheduleDays.AnyDay;
    /// <summary>Null = the whole of every day that matches.</summary>
    public ScheduleWindow? Window { get; init; }
}

/// <summary>What the RADIUS server does for a network when Brightline cannot be reached.</summary>
public enum UnreachableAction
{
    /// <summary>Refuse everyone (the default, and the only choice for a network any pupil group joins).</summary>
    FailClosed,
    /// <summary>
    /// Accept a person whose last live Accept on this network is still in FreeRADIUS's short cache, with the same VLAN,
    /// if the password they give now matches (checked against a salted PBKDF2 hash of the one Brightline accepted).
    /// </summary>
    Cached,
}
