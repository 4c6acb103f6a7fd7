using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>The asker's roles do not allow this: 403.</summary>
public sealed class ForbiddenException(string message) : DomainException(message, "Not allowed");
