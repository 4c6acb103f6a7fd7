using Brightline.Data.Entities;

namespace Brightline.BrowserExtension;

/// <summary>An enrolment key just created; the key itself is shown once and never stored.</summary>
public sealed record IssuedEnrolmentKey(ExtensionEnrolmentKey Record, string Key);
