using System.Globalization;
using System.Net;
using System.Text;

namespace Brightline.Reports;

/// <summary>
/// Writing report HTML: one self-contained document (inline style, no scripts, no external files) so the
/// page, the stored copy and Chromium's PDF are the same bytes. Every value goes through <see cref="H"/>.
/// </summary>
internal sealed class ReportHtml
{
    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");
    private readonly StringBuilder _body = new();

    public static string H(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string N(int n) => n.ToString("N0", s_uk);

    public ReportHtml Raw(string html)
    {
        _body.Append(html);
        return this;
    }

    public ReportHtml Heading(int level, string text, string? id = null)
    {
        _body.Append("<h").Append(level).Append(id is null ? "" : $" id=\"{H(id)}\"").Append('>').Append(H(text)).Append("</h").Append(level).Append('>');
        return this;
    }

    public ReportHtml Para(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<p>" : $"<p class=\"{H(cssClass)}\">").Append(H(text)).Append("</p>");
        return this;
    }

    /// <summary>A table with a caption and column headers; the first cell of each row is its row header.</summary>
    public ReportHtml Table(string id, string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string empty = "None in this period.")
    {
        // In its own scrolling region, so a wide table never widens a phone's page (issue 17 defect 5).
        _body.Append("<div class=\"table-scroll auto\" role=\"region\" aria-labelledby=\"").Append(H(id)).Append("-caption\" tabindex=\"0\">")
            .Append("<table id=\"").Append(H(id)).Append("\"><caption id=\"").Append(H(id)).Append("-caption\">").Append(H(caption)).Append("</caption><thead><tr>");
        foreach (var h in headers)
        {
            _body.Append("<th scope=\"col\">").Append(H(h)).Append("</th>");
        }

        _body.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            _body.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                _body.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(H(row[i])).Append(i == 0 ? "</th>" : "</td>");
            }

            _body.Append("</tr>");
        }

        if (!any)
        {
            _body.Append("<tr><td colspan=\"").Append(headers.Count).Append("\">").Append(H(empty)).Append("</td></tr>");
        }

        _body.Append("</tbody></table></div>");
        return this;
    }

    public string Body => _body.ToString();

    /// <summary>The complete document for printing or storing.</summary>
    public static string Document(string title, string body) =>
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>" + H(title) + "</title><style>"
        + "body{font-family:sans-serif;font-size:10.5pt;color:#111;margin:1.5em}h1{font-size:18pt}h2{font-size:14pt;margin-top:1.4em}"
        + ".table-scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;margin-bottom:1em}caption{text-align:left;font-weight:bold;padding:4px 0}"
        + "th,td{border:1px solid #777;padding:3px 6px;text-align:left;vertical-align:top}thead th{background:#e8e8e8}"
        + ".pass{color:#0a5c1f}.fail{color:#9b1111;font-weight:bold}.note{color:#333;font-style:italic}"
        + "</style></head><body>" + body + "</body></html>";
}
