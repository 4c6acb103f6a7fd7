namespace Brightline.Kernel;

/// <summary>
/// Moments as the registers store them: UTC, cut to the whole millisecond. SQLite (which keeps a tenth of
/// a millisecond) and PostgreSQL (a microsecond) both hold that exactly, so a time read back equals the
/// one written, on either database, and records made in one request sort and compare as written.
/// </summary>
public static class StoredTime
{
    /// <summary>Now, by <paramref name="time"/>, as stored.</summary>
    public static DateTimeOffset Now(TimeProvider time) => Truncate(time.GetUtcNow());

    /// <summary><paramref name="at"/> in UTC, cut to the whole millisecond.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
