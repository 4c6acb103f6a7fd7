namespace Brightline.Consents;

/// <summary>A consent as it stands: yes, no, or never answered (which counts as no for publication).</summary>
public enum ConsentState
{
    NotAsked,
    Yes,
    No,
}
