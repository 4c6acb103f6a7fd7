using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>The thing existed but is gone for good (a used or expired link, an expired check): 410.</summary>
public sealed class GoneException(string message, string title = DomainException.DefaultTitle) : DomainException(message, title);
