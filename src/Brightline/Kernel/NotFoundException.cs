using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>The thing asked for does not exist in this school (or the asker may not know it does): 404.</summary>
public sealed class NotFoundException(string message) : DomainException(message, "Not found");
