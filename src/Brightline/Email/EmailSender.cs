namespace Brightline.Email;

/// <summary>Sends mail through the configured SMTP server and records it. (Stub: being built.)</summary>
public sealed class EmailSender
{
    public Task<bool> SendAsync(string schoolId, string to, string subject, string textBody, string purpose, Guid? personId, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
