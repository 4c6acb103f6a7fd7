using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

public sealed class MonitoringScreenshotConfiguration : IEntityTypeConfiguration<MonitoringScreenshot>
{
    public void Configure(EntityTypeBuilder<MonitoringScreenshot> e)
    {
        e.ToTable("monitoring_screenshots");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.ContentType).HasMaxLength(16);
        // One screenshot per event: the ingestion API's request and the scoring worker's link meet on this index.
        e.HasIndex(x => x.EventId).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.AlertId });
        e.HasIndex(x => x.CreatedAt);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MonitoringEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Restrict);
    }
}
