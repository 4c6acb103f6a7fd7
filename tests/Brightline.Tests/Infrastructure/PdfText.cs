using System.Diagnostics;

namespace Brightline.Tests.Infrastructure;

/// <summary>The text of a PDF, through poppler's <c>pdftotext</c> (installed by test.sh), for asserting what a printed report says.</summary>
public static class PdfText
{
    public static string Of(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bl-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(file);
            start.ArgumentList.Add("-");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
