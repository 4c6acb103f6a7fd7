using System.Text;

namespace Brightline.Kernel;

/// <summary>
/// One line of a CSV export (RFC 4180: quoted where needed, CRLF). A cell that a spreadsheet would run as a formula
/// (starting =, +, -, @, tab or carriage return) is prefixed with an apostrophe, because exported text is often typed by
/// anyone: user names and reasons from whoever is in range of the Wi-Fi (the Network page), loan purposes, device requests.
/// </summary>
public static class SafeCsv
{
    public static string Line(params string?[] cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            var cell = Neutralised(cells[i]);

            if (cell.IndexOfAny([',', '"', '\r', '\n']) >= 0)
            {
                cell = "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            }

            line.Append(cell);
        }

        return line.Append("\r\n").ToString();
    }

    /// <summary>The cell as text a spreadsheet shows rather than runs; for writers that quote cells themselves (CsvHelper).</summary>
    public static string Neutralised(string? cell)
    {
        cell ??= "";
        return cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + cell : cell;
    }
}
