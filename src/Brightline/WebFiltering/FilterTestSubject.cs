namespace Brightline.WebFiltering;

/// <summary>Who a URL is tested as: the label shown, and the profiles that person or group is filtered by.</summary>
public sealed record FilterTestSubject(string Label, string[] Profiles);
