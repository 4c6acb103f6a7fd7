namespace Brightline.Kernel;

/// <summary>The input breaks a rule (missing, malformed, out of range, not provided for by the policy): 400.</summary>
public sealed class InvalidException(string message, string title = DomainException.DefaultTitle) : DomainException(message, title)
{
    /// <summary>
    /// The request field at fault (its JSON name, e.g. "agreed"), when one is: the API's ProblemDetails names it as
    /// <c>field</c> so a client can point at it, and a page can put its error against the right input.
    /// </summary>
    public string? Field { get; init; }
}
