using Brightline.Kernel;

namespace Brightline.DeviceRequests;

/// <summary>The device requests' CSV columns (UK dates, names not IDs): one shape for the portal's export and <c>brightline devices requests export</c>.</summary>
public static class DeviceRequestCsv
{
    public static string Header() =>
        SafeCsv.Line("Whose", "Kind", "Device", "Make and model", "Asked", "Asked by", "State", "Decided by", "Decided", "Until", "Requirement", "Agreement");

    public static string Line(DeviceRequestRow row)
    {
        var r = row.Request;
        return SafeCsv.Line(row.PersonName, DeviceRequestText.Kind(r.Kind), r.Description, r.MakeModel, UkFormat.ShortDateTime(r.CreatedAt),
            r.RequestedByName, DeviceRequestText.State(r.State), r.DecidedBy, r.DecidedAt is { } d ? UkFormat.ShortDateTime(d) : null,
            r.ExpiresAt is { } e ? UkFormat.Short(DateOnly.FromDateTime(e.UtcDateTime)) : null, r.Requirement,
            r.AgreementAcceptedAt is { } agreed ? DeviceRequestText.Agreed(agreed, r.AgreementAcceptedBy) : null);
    }
}
