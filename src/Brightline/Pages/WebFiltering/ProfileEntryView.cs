using System.Globalization;
using Brightline.Filtering;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.WebFiltering;

/// <summary>A local allow/deny entry shown on the profiles page: from the policy file or approved in the portal.</summary>
public sealed record ProfileEntryView(string Action, string Entry, string? Reason, string? Expires, bool Expired, string Source);
