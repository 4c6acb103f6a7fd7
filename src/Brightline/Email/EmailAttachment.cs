namespace Brightline.Email;

/// <summary>A file attached to an email.</summary>
public sealed record EmailAttachment(string FileName, string MediaType, byte[] Content);
