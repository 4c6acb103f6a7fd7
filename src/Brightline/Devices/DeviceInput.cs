namespace Brightline.Devices;

/// <summary>
/// A device's details as a form, the API, an import row or another feature gives them: text as typed, checked and
/// normalised by <see cref="DeviceRegister"/>. Kind, ownership and MACs are words (<c>laptop</c>, <c>school</c>,
/// <c>aa:bb:cc:dd:ee:ff 11-22-33-44-55-66</c>); blank optional fields are stored as nothing.
/// </summary>
public sealed record DeviceInput(
    string? AssetTag,
    string? Serial,
    string? Kind,
    string? Model,
    string? Name,
    string? Ownership,
    Guid? PersonId,
    string? ClassName,
    string? Location,
    string? DeviceGroup,
    string? Macs,
    string? Notes);
