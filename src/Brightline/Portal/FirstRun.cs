using System.Security.Cryptography;
using System.Text;
using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Portal;

public static class FirstRun
{
    public static async Task PrintSignInHelpAsync(WebApplication app, TextWriter output, CancellationToken cancellationToken)
    {
        var url = (app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080").TrimEnd('/');
        await output.WriteLineAsync($"Brightline is running at {url}");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        if (await FirstRunSetup.AdminExistsAsync(db, cancellationToken))
        {
            await output.WriteLineAsync($"Sign in at {url}/account/login");
            return;
        }

        var token = app.Services.GetRequiredService<FirstRunSetup>().SetupToken;
        await output.WriteLineAsync($"No administrator yet: open {url}/setup?token={token} to create one.");
        await output.WriteLineAsync("(The link works once, and only while this server keeps running.)");
    }
}
