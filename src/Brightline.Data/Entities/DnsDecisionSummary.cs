using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Issue 18 part 4 (the decision log at trust volume): two small per-school daily summaries of dns_decisions, written by
// Brightline.DnsFiltering.DnsDecisionStore in the same transaction as the log rows they count, and purged with the
// log. A trust's log holds a hundred million rows in which one school's rows are scattered among fifty schools', so
// the trends page and the log's "name contains" search read these instead of the log (docs/filtering.md). "Day" is
// the school's day (UK time, Kernel.SchoolClock), the day the trends window and the log's From/To dates count in.

/// <summary>How many decisions of one kind a school's DNS filter made on one day: what the trends page counts.</summary>
public sealed class DnsDecisionDay
{
    public required string SchoolId { get; set; }
    public DateOnly Day { get; set; }
    public required string Decision { get; set; }
    /// <summary>The decision's profile; "" when the decision named none (a key column cannot be null).</summary>
    public required string Profile { get; set; }
    /// <summary>The decision's category; "" when it named none.</summary>
    public required string Category { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// That a school's devices asked for one name on one day. The log's "name contains" search matches the school's names
/// here first, then reads the log only for those exact names on those days. A set, not a count: nothing reads how
/// often, and without a count a writer adds a name only the first time it sees it that day (DnsDecisionStore keeps
/// the keys it has written in memory), which keeps the log's insert rate (issue 18 part 4, docs/benchmarks.md).
/// </summary>
public sealed class DnsDecisionName
{
    public required string SchoolId { get; set; }
    public DateOnly Day { get; set; }
    public required string Name { get; set; }
}

public sealed class DnsDecisionDayConfiguration : IEntityTypeConfiguration<DnsDecisionDay>
{
    public void Configure(EntityTypeBuilder<DnsDecisionDay> e)
    {
        e.ToTable("dns_decision_days");
        // The key is what the writer adds a batch's counts to; it also serves a school's days for the trends page.
        e.HasKey(x => new { x.SchoolId, x.Day, x.Decision, x.Profile, x.Category });
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Decision).HasMaxLength(24);
        e.Property(x => x.Profile).HasMaxLength(64);
        e.Property(x => x.Category).HasMaxLength(32);
    }
}

public sealed class DnsDecisionNameConfiguration : IEntityTypeConfiguration<DnsDecisionName>
{
    public void Configure(EntityTypeBuilder<DnsDecisionName> e)
    {
        e.ToTable("dns_decision_names");
        // School, day, name: the search reads a school's days in order and matches names from the key alone.
        e.HasKey(x => new { x.SchoolId, x.Day, x.Name });
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(1024);
    }
}
