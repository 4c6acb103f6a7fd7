using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>The upload is over a configured limit and was refused before it was kept: 413.</summary>
public class TooLargeException(string message, string title = "File too large") : DomainException(message, title);
