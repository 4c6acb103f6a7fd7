using Brightline.Cli;

// `brightline` with no verb serves the portal (what `dotnet run --project src/Brightline` does);
// the verbs (policy, people, access, audit …) are listed in Cli/BrightlineCli.cs.
return await BrightlineCli.RunAsync(args);
