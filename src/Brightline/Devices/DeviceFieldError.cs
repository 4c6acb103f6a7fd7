namespace Brightline.Devices;

/// <summary>One problem with one field of a device's details; <see cref="Field"/> is the CSV column / form field name.</summary>
public sealed record DeviceFieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
