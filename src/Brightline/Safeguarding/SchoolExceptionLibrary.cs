using System.Collections.Concurrent;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// A school's own exception library (issue 16 part 4) as the engine's <see cref="ExceptionOverlay"/>: its approved
/// exceptions, read from the database on every scoring pass and compiled again only when they changed, so an approval
/// or a withdrawal on any node applies to the next events scored on every node.
/// </summary>
public static class SchoolExceptionLibrary
{
    /// <summary>An exception cancels the whole of any hit of its category it surrounds (no built-in weight is larger).</summary>
    public const int Weight = -1000;

    private static readonly ConcurrentDictionary<string, (string Key, ExceptionOverlay Overlay)> s_compiled = new(StringComparer.Ordinal);

    /// <summary>The overlay of <paramref name="schoolId"/>'s approved exceptions (<see cref="ExceptionOverlay.Empty"/> when it has none).</summary>
    public static async Task<ExceptionOverlay> ApprovedAsync(BrightlineDbContext db, string schoolId, CancellationToken cancellationToken)
    {
        var approved = await db.Set<MonitoringException>().AsNoTracking()
            .Where(x => x.SchoolId == schoolId && x.State == MonitoringExceptionState.Approved)
            .OrderBy(x => x.Id).Select(x => new { x.Id, x.Phrase, x.Category }).ToListAsync(cancellationToken);
        if (approved.Count == 0)
        {
            s_compiled.TryRemove(schoolId, out _);
            return ExceptionOverlay.Empty;
        }

        var key = string.Join('\n', approved.Select(x => $"{x.Id}\t{x.Category}\t{x.Phrase}"));
        if (s_compiled.TryGetValue(schoolId, out var cached) && string.Equals(cached.Key, key, StringComparison.Ordinal))
        {
            return cached.Overlay;
        }

        var overlay = Compile(approved.Select(x => (x.Id, x.Phrase, x.Category)));
        s_compiled[schoolId] = (key, overlay);
        return overlay;
    }

    /// <summary>
    /// Compiles exceptions. Each becomes one engine rule built directly (not parsed from library text), so characters
    /// that are syntax in a library file (<c>| ( ) &amp; ~ *</c>) are only text here, and its source names it.
    /// </summary>
    public static ExceptionOverlay Compile(IEnumerable<(long Id, string Phrase, string Category)> exceptions) =>
        ExceptionOverlay.Compile(new PhraseLibrary(exceptions.Select(x =>
            new PhraseRule(x.Category, [new PhraseTerm(x.Phrase)], Weight, Severity.Low, 0, "en", SourceOf(x.Id)))));

    /// <summary>The rule source of a school's exception, as a hit reports it.</summary>
    public static string SourceOf(long id) => "school-exception:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
