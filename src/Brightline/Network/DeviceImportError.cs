namespace Brightline.Network;

/// <summary>A problem with one line of a device file (line 1 is the header).</summary>
public sealed record DeviceImportError(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}
