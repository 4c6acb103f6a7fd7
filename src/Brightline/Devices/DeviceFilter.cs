namespace Brightline.Devices;

/// <summary>The register list's search and filters, as the page's query string, the API and the CLI give them.</summary>
/// <param name="Search">Asset tag, serial, name, model, MAC (any spelling) or the assigned person's name contains.</param>
/// <param name="Kind">A kind key (laptop, tablet …).</param>
/// <param name="Ownership">school, personal or unknown.</param>
/// <param name="State">A state key (in_use, in_repair …).</param>
/// <param name="ClassName">The class, exactly (any case).</param>
/// <param name="Missing">An attestation key the policy requires of the device and its latest attestation does not confirm.</param>
public sealed record DeviceFilter(string? Search = null, string? Kind = null, string? Ownership = null, string? State = null, string? ClassName = null, string? Missing = null);
