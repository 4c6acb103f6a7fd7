using System.CommandLine;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary><c>brightline radius config --out DIR</c>: a FreeRADIUS configuration for the school, from its policy and settings.</summary>
public static class RadiusCommands
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static Command Create(CliServices cli)
    {
        var output = new Option<string>("--out") { Description = "The directory to write FreeRADIUS's configuration to (created if missing).", Required = true };
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var url = new Option<string?>("--url") { Description = $"Where FreeRADIUS reaches Brightline (default: Brightline:Portal:BaseUrl, else {DefaultUrl}). Use https beyond one machine." };
        var listen = new Option<string>("--listen") { Description = "The address FreeRADIUS listens on.", DefaultValueFactory = _ => "0.0.0.0" };
        var cert = new Option<string?>("--tls-cert") { Description = "The server certificate (PEM) for EAP-TTLS; with --tls-key, devices can join with 802.1X (EAP-TTLS/PAP)." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The certificate's private key (PEM), readable by FreeRADIUS only." };
        var ca = new Option<string?>("--tls-ca") { Description = "The CA chain (PEM) that issued the certificate, which devices trust; default: the certificate." };
        var port = new Option<int>("--port") { Description = "The authentication port; accounting uses the next one.", DefaultValueFactory = _ => 1812 };
        var coaPort = new Option<int>("--coa-port")
        {
            Description = "Where FreeRADIUS hears Brightline say \"forget the answers you keep\" (name it in Brightline:Radius:AnswerCaches so FreeRADIUS answers repeat sign-ins itself).",
            DefaultValueFactory = _ => 3799,
        };
        var from = new Option<string?>("--brightline-address") { Description = "The IP address Brightline sends from to --coa-port (default: --url's host when it is an address)." };
        var config = new Command("config", "Write a complete FreeRADIUS configuration (radiusd.conf, the brightline site, the rest module, clients.conf) from the policy's network section.")
        {
            output, school, url, listen, port, coaPort, from, cert, tlsKey, ca,
        };
        config.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            try
            {
                var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
                var address = parse.GetValue(url) ?? sp.GetRequiredService<IOptions<PortalLinkOptions>>().Value.BaseUrl ?? DefaultUrl;
                if (!Uri.TryCreate(address, UriKind.Absolute, out var brightline) || (brightline.Scheme != Uri.UriSchemeHttp && brightline.Scheme != Uri.UriSchemeHttps))
                {
                    await Console.Error.WriteLineAsync($"--url '{address}' is not an http or https address.");
                    return 2;
                }

                var request = new RadiusConfigRequest(parse.GetValue(output)!, schoolId, brightline, parse.GetValue(listen)!, parse.GetValue(port))
                {
                    TlsCertificate = parse.GetValue(cert),
                    TlsKey = parse.GetValue(tlsKey),
                    TlsCa = parse.GetValue(ca),
                    CoaPort = parse.GetValue(coaPort),
                    BrightlineAddress = parse.GetValue(from),
                };
                var files = await sp.GetRequiredService<RadiusConfigWriter>().WriteAsync(request, cancellationToken);
                await Console.Out.WriteLineAsync($"Wrote FreeRADIUS's configuration for '{schoolId}' to {Path.GetFullPath(request.OutputDirectory)}: {string.Join(", ", files)}.");
                await Console.Out.WriteLineAsync(request.CoaClientAddress is { } coa
                    ? $"For FreeRADIUS to answer repeat sign-ins itself, set {RadiusOptions.Section}:AnswerCaches:{schoolId}:0 to <this server's address>:{request.CoaPort} on the Brightline server (it sends from {coa})."
                    : $"No CoA listener was written (--url's host is not an address; give --brightline-address): every sign-in will be Brightline's.");
                await Console.Out.WriteLineAsync($"Check it with: freeradius -XC -d {Path.GetFullPath(request.OutputDirectory)}   Run it with: freeradius -f -d {Path.GetFullPath(request.OutputDirectory)}");
                return 0;
            }
            catch (DomainException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });
        return new Command("radius", "FreeRADIUS in front of Brightline: who may join the school's networks (docs/network.md).") { config, DeviceCommands.Create(cli) };
    }
}
