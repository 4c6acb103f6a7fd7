using System.Globalization;
using Brightline.Audit;
using Brightline.Policies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Brightline.Portal;

/// <summary>
/// Issue 17 (export): a CSV taken through the API (<c>?format=csv</c>) leaves the same audit entry as the portal's
/// download (<see cref="ExportAuditFilter"/>): who, what, how many rows, which filter. <see cref="ApiSchoolScope"/> calls
/// it for every /api/v1 endpoint, so a new API export cannot leave the school unrecorded. The entry is appended before
/// the file is sent: if it cannot be written the export fails rather than going unrecorded.
/// </summary>
public static class ApiExportAudit
{
    /// <summary>Records <paramref name="result"/> if it is a CSV file, for the school the caller was scoped to, and passes it on.</summary>
    public static async Task<object?> AfterAsync(HttpContext http, object? result, string? school)
    {
        if (result is not FileContentHttpResult file || file.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
        {
            return result;
        }

        var services = http.RequestServices;
        // A machine key may leave the school out when the installation has one; the handler resolved it the same way.
        var schoolId = await services.GetRequiredService<PolicyStore>().ResolveSchoolAsync(school, http.RequestAborted);
        var what = http.GetEndpoint()?.Metadata.GetMetadata<AuditedExportAttribute>()?.What ?? http.Request.Path.Value?.TrimStart('/') ?? "api";
        var rows = Math.Max(0, ExportAuditFilter.CsvRecords(file.FileContents.Span) - 1);
        var filter = string.Join(", ", http.Request.Query
            .Where(q => q.Key is not ("format" or "school" or "page"))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .SelectMany(q => q.Value.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => $"{q.Key}={v}")));
        var detail = string.Join("; ", new[]
        {
            $"{rows.ToString(CultureInfo.InvariantCulture)} {(rows == 1 ? "row" : "rows")}",
            $"filter: {(filter.Length == 0 ? "none" : filter)}",
            string.IsNullOrEmpty(file.FileDownloadName) ? null : $"file {file.FileDownloadName}",
            "through the API",
        }.Where(part => part is not null));
        var actor = http.User.Identity?.Name is { Length: > 0 } name ? name : "api";
        await services.GetRequiredService<AuditLog>().AppendAsync(schoolId, actor, AuditActions.Export, what, detail,
            http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        return result;
    }
}
