using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.DeviceRequests;

/// <summary>The words the pages, emails and API use for the policy's keys.</summary>
public static class DeviceRequestText
{
    /// <summary>What the asker confirms by ticking each attestation the policy asks for.</summary>
    public static string Attestation(string key) => key switch
    {
        DeviceAttestationKeys.Encrypted => "The device's storage (or the USB pen) is encrypted",
        DeviceAttestationKeys.Passcode => "A password, PIN or fingerprint protects the device",
        DeviceAttestationKeys.TwoFactor => "Two-factor sign-in is on for every school account the device holds",
        DeviceAttestationKeys.VirusChecked => "The storage has been virus-checked before use in school",
        _ => key,
    };

    /// <summary>O19: who agreed to the rule's agreement and on which day, for the request's page and the CSV export.</summary>
    public static string Agreed(DateTimeOffset at, string? by) => $"Agreed on {Kernel.UkFormat.ShortDate(at)} by {by ?? "the person who asked"}";

    public static string Kind(string key) => key switch
    {
        DeviceRequestKindKeys.PersonalDevice => "Personal device",
        DeviceRequestKindKeys.RemovableMedia => "Removable media",
        _ => key,
    };

    public static string Requester(string key) => key switch
    {
        DeviceRequesterKeys.Self => "themselves",
        DeviceRequesterKeys.Parent => "a parent or carer",
        DeviceRequesterKeys.Teacher => "a member of staff",
        _ => key,
    };

    public static string State(DeviceRequestState state) => state switch
    {
        DeviceRequestState.Pending => "Waiting for a decision",
        DeviceRequestState.Approved => "Approved",
        DeviceRequestState.Refused => "Refused",
        DeviceRequestState.Withdrawn => "Withdrawn",
        DeviceRequestState.Expired => "Expired",
        _ => state.ToString(),
    };

    public static string DeviceKind(DeviceKind kind) => kind switch
    {
        Data.Entities.DeviceKind.Phone => "Phone",
        Data.Entities.DeviceKind.Laptop => "Laptop",
        Data.Entities.DeviceKind.Chromebook => "Chromebook",
        Data.Entities.DeviceKind.Tablet => "Tablet",
        Data.Entities.DeviceKind.Desktop => "Desktop computer",
        Data.Entities.DeviceKind.Wearable => "Wearable (smart watch)",
        Data.Entities.DeviceKind.Recorder => "Digital recorder",
        Data.Entities.DeviceKind.Camera => "Camera",
        Data.Entities.DeviceKind.Console => "Games console",
        Data.Entities.DeviceKind.RemovableMedia => "USB pen, memory card or disc",
        Data.Entities.DeviceKind.Other => "Something else",
        _ => kind.ToString(),
    };

    /// <summary>The register kinds a request of <paramref name="kind"/> may name.</summary>
    public static IReadOnlyList<DeviceKind> DeviceKindsFor(string kind) => kind == DeviceRequestKindKeys.RemovableMedia
        ? [Data.Entities.DeviceKind.RemovableMedia]
        : [Data.Entities.DeviceKind.Phone, Data.Entities.DeviceKind.Tablet, Data.Entities.DeviceKind.Laptop, Data.Entities.DeviceKind.Chromebook,
            Data.Entities.DeviceKind.Wearable, Data.Entities.DeviceKind.Camera, Data.Entities.DeviceKind.Recorder, Data.Entities.DeviceKind.Console, Data.Entities.DeviceKind.Other];

    /// <summary>A role key in words for "approved by …".</summary>
    public static string Roles(IEnumerable<string> roles) => string.Join(" or ", roles.Select(r => Portal.PortalRoles.Describe(r).ToLowerInvariant()));
}
