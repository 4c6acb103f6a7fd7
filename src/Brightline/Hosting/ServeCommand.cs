using Brightline.Kernel;
using System.CommandLine;
using Brightline.Demo;
using Brightline.Portal;

namespace Brightline.Hosting;

/// <summary>`brightline serve`: the portal, the API and the background workers.</summary>
public static class ServeCommand
{
    public const string DefaultUrl = PortalLinks.DefaultUrl;

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on.", DefaultValueFactory = _ => DefaultUrl };
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not create the demo school on an empty database." };
        var command = new Command("serve", "Run the portal, API and workers.") { urls, noDemo };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = PortalHost.Build(["--urls", parse.GetValue(urls) ?? DefaultUrl]);
            await PortalHost.PrepareDatabaseAsync(app.Services, cancellationToken);
            if (!parse.GetValue(noDemo))
            {
                await DemoSeeder.SeedIfEmptyAsync(app.Services, cancellationToken);
            }

            await app.StartAsync(cancellationToken);
            await FirstRun.PrintSignInHelpAsync(app, Console.Out, cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
