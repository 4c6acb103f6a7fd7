namespace Brightline.Network;

/// <summary>What an import did: the devices added and updated, or — when any line is wrong — nothing, and every error.</summary>
public sealed record DeviceImportResult(int Added, int Updated, IReadOnlyList<DeviceImportError> Errors)
{
    public bool Stored => Errors.Count == 0;
}
