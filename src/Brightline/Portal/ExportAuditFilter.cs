using System.Globalization;
using System.Reflection;
using Brightline.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Brightline.Portal;

/// <summary>
/// Issue 17 (export): every export leaves an audit entry saying who took which list, how many rows and with which filter,
/// written here once for every page rather than by each handler. A handler marked <see cref="AuditedExportAttribute"/> is
/// audited whatever file it returns (a PDF, or the HTML a report falls back to without Chromium); any other handler that
/// answers with a CSV file is audited too, under the page's path, so a new CSV list cannot leave the school unrecorded.
/// The entry is appended before the file is sent: if it cannot be written the export fails rather than going unrecorded.
/// </summary>
public sealed class ExportAuditFilter : IAsyncPageFilter
{
    /// <summary>A handler may set this item to the number of records in a file that is not a CSV (a PDF's timeline entries).</summary>
    public const string RowsItem = "brightline.export-rows";

    /// <summary>A handler may set this item to say which record a document is of (an incident's title), added to the subject.</summary>
    public const string AboutItem = "brightline.export-about";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not null && !executed.ExceptionHandled || executed.Result is not FileContentResult file)
        {
            return;
        }

        var marked = context.HandlerMethod?.MethodInfo.GetCustomAttribute<AuditedExportAttribute>();
        var isCsv = file.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);
        if (marked is null && !isCsv)
        {
            return;
        }

        var http = context.HttpContext;
        var scope = http.RequestServices.GetRequiredService<PortalScope>();
        var audit = http.RequestServices.GetRequiredService<AuditLog>();
        var what = marked?.What ?? context.ActionDescriptor.ViewEnginePath.TrimStart('/');
        if (http.Items[AboutItem] is string about && about.Length > 0)
        {
            what = $"{what}: {about}";
        }

        int? rows = isCsv ? Math.Max(0, CsvRecords(file.FileContents) - 1) : http.Items[RowsItem] as int?;
        var filter = await FilterTextAsync(http.Request.Query, scope, http.RequestAborted);
        var detail = string.Join("; ", new[]
        {
            rows is { } n ? $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? "row" : "rows")}" : null,
            $"filter: {(filter.Length == 0 ? "none" : filter)}",
            string.IsNullOrEmpty(file.FileDownloadName) ? null : $"file {file.FileDownloadName}",
        }.Where(part => part is not null));
        await audit.AppendAsync(scope.SchoolId, scope.UserName, AuditActions.Export, what, detail, scope.ClientAddress, http.RequestAborted);
    }

    /// <summary>
    /// Records in a CSV file (RFC 4180): line ends outside quotes, so a cell holding a line break is still one record.
    /// The header is one of them; a last line without its line end still counts.
    /// </summary>
    public static int CsvRecords(ReadOnlySpan<byte> csv)
    {
        var records = 0;
        var quoted = false;
        var inRecord = false;
        foreach (var b in csv)
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }

            if (b == (byte)'\n' && !quoted)
            {
                records++;
                inRecord = false;
            }
            else if (b != (byte)'\r')
            {
                inRecord = true;
            }
        }

        return inRecord ? records + 1 : records;
    }

    /// <summary>
    /// The list's filter as the query string gave it, without the handler's name or the page number; a person's ID is
    /// written as their name (the audit log names people, never IDs), or as "someone not visible" when out of scope.
    /// </summary>
    private static async Task<string> FilterTextAsync(IQueryCollection query, PortalScope scope, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        foreach (var (name, values) in query.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            if (name.Equals("handler", StringComparison.OrdinalIgnoreCase) || name is "p" or "page")
            {
                continue;
            }

            foreach (var value in values.Where(v => !string.IsNullOrWhiteSpace(v)))
            {
                var text = value!;
                if (Guid.TryParse(text, out var id))
                {
                    text = await scope.FindPersonAsync(id, cancellationToken) is { } person ? person.FullName : "a record";
                }

                parts.Add($"{name}={text}");
            }
        }

        return string.Join(", ", parts);
    }
}
