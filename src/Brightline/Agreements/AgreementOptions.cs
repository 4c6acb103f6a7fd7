using System.ComponentModel.DataAnnotations;

namespace Brightline.Agreements;

public sealed class AgreementOptions
{
    public const string Section = "Brightline:Agreements";

    /// <summary>How long an emailed countersign link works.</summary>
    [Range(1, 365)]
    public int CountersignLinkDays { get; set; } = 14;
}
