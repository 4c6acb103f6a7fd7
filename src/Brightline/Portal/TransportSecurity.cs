using Brightline.Kernel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>
/// Forwarded headers from trusted proxies only, HTTPS redirection when HTTPS is required, and HSTS on
/// HTTPS responses (issue 10, item 14). Runs first, so everything after it sees the real client address
/// and scheme: rate limits, the audit log, sign-in bindings, Secure cookies.
/// </summary>
public static class TransportSecurity
{
    public static IServiceCollection AddTransportSecurity(this IServiceCollection services)
    {
        services.AddSettings<TransportSecurityOptions>(TransportSecurityOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TransportSecurityOptions>>((forwarded, transport) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; a school's proxy is whatever it configured, nothing else.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardLimit = 1;
            foreach (var entry in transport.Value.TrustedProxies)
            {
                if (IPAddress.TryParse(entry, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
            }
        });
        return services;
    }

    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TransportSecurityOptions>>().Value;
        if (options.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (options.Require)
        {
            app.UseHttpsRedirection();
        }

        if (options.HstsMaxAgeDays > 0)
        {
            var header = "max-age=" + ((long)options.HstsMaxAgeDays * 86_400).ToString(CultureInfo.InvariantCulture);
            app.Use((context, next) =>
            {
                // Browsers ignore HSTS over plain HTTP (RFC 6797 §8.1), so it is only sent where it means something.
                if (context.Request.IsHttps)
                {
                    context.Response.Headers.StrictTransportSecurity = header;
                }

                return next(context);
            });
        }

        return app;
    }
}
