namespace Brightline.Devices;

/// <summary>One problem in an import file: the file's row (the header is row 1), the column and what is wrong.</summary>
public sealed record DeviceImportError(int Row, string Column, string Message)
{
    public override string ToString() => $"row {Row}, {Column}: {Message}";
}
