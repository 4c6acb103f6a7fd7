namespace Brightline.Portal;

/// <summary>
/// Marks a page handler whose answer is an export (a CSV list or a printed PDF), naming what it exports in words for the
/// audit log ("people list", "incident chronology"). <see cref="ExportAuditFilter"/> records every such download.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AuditedExportAttribute(string what) : Attribute
{
    public string What { get; } = what;
}
