using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>The input breaks a rule (missing, malformed, out of range, not provided for by the policy): 400.</summary>
public sealed class InvalidException(string message, string title = DomainException.DefaultTitle) : DomainException(message, title);
