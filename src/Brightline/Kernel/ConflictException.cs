using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>The request is valid but the thing is no longer in a state that allows it (already decided, lifted, signed): 409.</summary>
public sealed class ConflictException(string message, string title = DomainException.DefaultTitle) : DomainException(message, title);
