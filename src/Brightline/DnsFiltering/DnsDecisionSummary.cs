using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.DnsFiltering;

/// <summary>
/// One batch of decisions summarised the way <c>dns_decision_days</c> and <c>dns_decision_names</c> keep them (issue
/// 18 part 4): counted per school, UK day and kind (decision, profile, category), and the distinct (school, UK day,
/// name) keys. Decisions no school claimed are left out: no school's page shows them. Summarising in memory first turns
/// a batch into one row per distinct key, and DNS repeats names heavily, so into far fewer rows than the batch.
/// </summary>
public sealed class DnsDecisionSummary
{
    private readonly Dictionary<(string School, DateOnly Day, string Decision, string Profile, string Category), long> _days = [];
    private readonly HashSet<(string School, DateOnly Day, string Name)> _names = [];

    // The UK day of the last instant counted, and the UTC instants it runs between: a batch is seconds of one day, so
    // this spares a time-zone conversion per decision.
    private DateOnly _day;
    private DateTimeOffset _dayStart = DateTimeOffset.MaxValue;
    private DateTimeOffset _dayEnd = DateTimeOffset.MinValue;

    public void Add(DnsDecisionEntry e)
    {
        if (e.SchoolId is not { } school)
        {
            return;
        }

        var day = DayOf(e.At);
        var kind = (school, day, e.Decision, e.Profile ?? "", e.Category ?? "");
        _days[kind] = _days.GetValueOrDefault(kind) + 1;
        _names.Add((school, day, e.Name));
    }

    /// <summary>The UK day a decision falls on, as the trends window and the log's From/To dates count days.</summary>
    public DateOnly DayOf(DateTimeOffset at)
    {
        if (at < _dayStart || at >= _dayEnd)
        {
            _day = SchoolClock.DateOf(at);
            _dayStart = SchoolClock.StartOf(_day);
            _dayEnd = SchoolClock.StartOf(_day.AddDays(1));
        }

        return _day;
    }

    /// <summary>The counts per kind, in key order (ordinal), the order every writer takes the rows' locks in.</summary>
    public List<KeyValuePair<(string School, DateOnly Day, string Decision, string Profile, string Category), long>> Days()
    {
        var days = _days.ToList();
        days.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Key.School, b.Key.School);
            c = c != 0 ? c : a.Key.Day.CompareTo(b.Key.Day);
            c = c != 0 ? c : string.CompareOrdinal(a.Key.Decision, b.Key.Decision);
            c = c != 0 ? c : string.CompareOrdinal(a.Key.Profile, b.Key.Profile);
            return c != 0 ? c : string.CompareOrdinal(a.Key.Category, b.Key.Category);
        });
        return days;
    }

    /// <summary>
    /// The distinct names, in key order (ordinal), leaving out those <paramref name="written"/> says are stored. Sorted
    /// with one comparison rather than LINQ's chained keys: this runs for every batch, over hundreds of names (issue 18
    /// part 5).
    /// </summary>
    public List<(string School, DateOnly Day, string Name)> Names(Func<(string School, DateOnly Day, string Name), bool> written)
    {
        var names = new List<(string School, DateOnly Day, string Name)>(_names.Count);
        foreach (var n in _names)
        {
            if (!written(n))
            {
                names.Add(n);
            }
        }

        names.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.School, b.School);
            c = c != 0 ? c : a.Day.CompareTo(b.Day);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        return names;
    }
}
