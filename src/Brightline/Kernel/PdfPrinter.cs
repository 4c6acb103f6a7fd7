using System.Diagnostics;
using System.Text;
using Brightline.Safeguarding;
using Microsoft.Extensions.Options;

namespace Brightline.Kernel;

/// <summary>
/// Prints a self-contained HTML page to PDF with Debian's headless Chromium (print-to-PDF). Shared by the
/// weekly monitoring digest, the governors' report and the annual review pack, so every report prints the
/// same HTML the portal shows. Returns null when Chromium is missing, fails or times out: callers fall back
/// to the HTML, because a report that cannot be printed must still be delivered or stored.
/// </summary>
public sealed partial class PdfPrinter(IOptions<ChromiumOptions> chromium, ILogger<PdfPrinter> logger)
{
    public async Task<byte[]?> PrintAsync(string html, CancellationToken cancellationToken)
    {
        var options = chromium.Value;
        var path = options.ResolvedPath();
        if (!File.Exists(path))
        {
            LogChromiumMissing(logger, path);
            return null;
        }

        var dir = Directory.CreateTempSubdirectory("brightline-report-");
        try
        {
            var input = Path.Combine(dir.FullName, "report.html");
            var output = Path.Combine(dir.FullName, "report.pdf");
            await File.WriteAllBytesAsync(input, Encoding.UTF8.GetBytes(html), cancellationToken);
            var start = new ProcessStartInfo(path)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(dir.FullName, "profile")}",
                         "--no-pdf-header-footer", $"--print-to-pdf={output}", new Uri(input).AbsoluteUri,
                     })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                LogChromiumFailed(logger, "could not start");
                return null;
            }

            var drainOut = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var drainErr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                await Task.WhenAll(drainOut, drainErr);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                LogChromiumFailed(logger, "timed out");
                return null;
            }

            if (File.Exists(output))
            {
                var pdf = await File.ReadAllBytesAsync(output, cancellationToken);
                if (pdf.Length > 4 && pdf.AsSpan(0, 4).SequenceEqual("%PDF"u8))
                {
                    return pdf;
                }
            }

            LogChromiumFailed(logger, $"exit code {process.ExitCode}, no PDF written");
            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            LogChromiumFailed(logger, e.GetType().Name);
            return null;
        }
        finally
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chromium was not found at {Path}; reports are kept as HTML instead of PDF.")]
    private static partial void LogChromiumMissing(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chromium could not print a report ({Reason}); the HTML is used instead.")]
    private static partial void LogChromiumFailed(ILogger logger, string reason);
}
