using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>
/// A domain rule was broken by the request. The set of kinds is closed (the constructor is private to this
/// assembly): a thrower says *what* went wrong by the type it throws, and <see cref="ErrorHandling.StatusOf"/>
/// alone decides which 4xx answer that is, so a status code is never chosen at a throw site.
/// </summary>
public abstract class DomainException : Exception
{
    /// <summary>The title a 400/409/410 answer carries when the thrower names none.</summary>
    public const string DefaultTitle = "The request could not be completed";

    private protected DomainException(string message, string title) : base(message) => Title = title;

    public string Title { get; }
}
