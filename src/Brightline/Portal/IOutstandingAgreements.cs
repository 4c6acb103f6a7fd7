namespace Brightline.Portal;

/// <summary>
/// The C8 gate's question: where must this person go before anything else (an agreement of their own to sign, an
/// acknowledgement due), or null. The agreements feature answers.
/// </summary>
public interface IOutstandingAgreements
{
    Task<string?> FirstOutstandingAsync(HttpContext context, string schoolId, Guid personId, CancellationToken cancellationToken);
}
