using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Brightline.People;

/// <summary>The people feature's settings, bound from <c>Brightline:People</c> (docs/configuration.md).</summary>
public sealed class PeopleOptions
{
    public const string Section = "Brightline:People";

    /// <summary>
    /// The largest import file accepted, by the page and by <c>POST /api/v1/people/import</c>. A 2,000-pupil MIS
    /// export with two contacts per pupil is well under 1 MB, so 5 MB leaves room without letting one upload
    /// take a server's memory.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxImportBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How many checked files a school may have waiting for "Apply"; a newer check replaces the oldest.</summary>
    [Range(1, int.MaxValue)]
    public int MaxStagedImportsPerSchool { get; set; } = 5;

    /// <summary>How long a checked file waits for "Apply" before it must be checked again.</summary>
    [Range(1, int.MaxValue)]
    public int StagedImportMinutes { get; set; } = 30;

    internal TimeSpan StagedImportLifetime => TimeSpan.FromMinutes(StagedImportMinutes);

    /// <summary>A size as people read it: "5 MB", "512 KB", "700 bytes".</summary>
    internal static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
