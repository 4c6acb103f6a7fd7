using System.Text;
using Brightline.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal.Authorisation;

/// <summary>
/// Every route the application maps (read from its own endpoint table, so a new page or endpoint cannot be
/// missed) × every principal × a record of the caller's school, class, another class and another school,
/// against the answer declared for it in <see cref="RouteRules"/>. A route with no declared rule fails the
/// test. Answers that are allowed are also read: a page that shows the other school's names or records fails.
/// Denied principals also POST to every page and write endpoint, with a valid antiforgery token of their own,
/// and must be refused the same way (issue 10).
/// </summary>
public sealed class AuthorisationMatrixTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EveryRoute_EveryPrincipal_AnswersAsDeclared(DatabaseProvider provider)
    {
        var progress = Path.Combine(Path.GetTempPath(), $"brightline-matrix-{provider}.progress");
        await File.WriteAllTextAsync(progress, "starting\n");
        await using var server = await BrightlineServer.StartAsync(provider);
        var world = await MatrixWorld.StartAsync(server, line => File.AppendAllText(progress, line + "\n"));
        var routes = MappedRoutes(server);
        var handlers = await PostHandlersAsync(server);
        var rules = RouteRules.Declared(world);
        var problems = new List<string>();

        foreach (var route in routes.Where(r => !rules.ContainsKey(r.Pattern)))
        {
            problems.Add($"{route.Pattern} [{string.Join(",", route.Methods)}]: no rule declared in RouteRules — declare who may use it");
        }

        foreach (var stale in rules.Keys.Where(k => routes.All(r => !string.Equals(r.Pattern, k, StringComparison.Ordinal))))
        {
            problems.Add($"{stale}: declared in RouteRules but the application maps no such route");
        }

        var observed = new StringBuilder();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var checkedPairs = 0;
        foreach (var route in routes.Where(r => rules.ContainsKey(r.Pattern)))
        {
            var rule = rules[route.Pattern];
            foreach (var declared in rule.Samples)
            {
                var sample = declared.Path.Length == 0 ? declared with { Path = route.Pattern } : declared;
                foreach (var principal in Principals.All.Append(Principals.Machine))
                {
                    var client = ClientFor(world, principal);
                    var expected = rule.Expect(principal, sample);
                    var method = route.Methods.Contains("GET") || route.Methods.Count == 0 ? HttpMethod.Get : HttpMethod.Post;
                    var actual = await AskAsync(client, method, sample.Path, null, sample.ContentType);
                    checkedPairs++;
                    await File.AppendAllTextAsync(progress, $"{method} {sample.Path} {principal.Name}: {actual.Outcome}\n");
                    observed.Append(CultureInvariant($"{method} {sample.Path} [{sample.Label}] {principal.Name}: {actual.Outcome}\n"));
                    if (!Matches(expected, actual))
                    {
                        problems.Add($"{method} {sample.Path} ({route.Pattern}, {sample.Label}) as {principal.Name}: expected {expected}, got {actual.Outcome}{actual.Location}");
                    }

                    if (actual.Outcome == Outcome.Ok && !principal.IsMachine)
                    {
                        var foreign = principal.School == "B" ? "A" : "B";
                        foreach (var marker in world.Markers[foreign].Where(m => actual.Body.Contains(m, StringComparison.Ordinal)))
                        {
                            problems.Add($"{method} {sample.Path} as {principal.Name}: shows school {foreign}'s \"{marker}\"");
                        }
                    }

                    // A principal refused a page must be refused each of its form handlers too, posted with their own valid
                    // antiforgery token, since each handler checks access for itself.
                    if (method == HttpMethod.Get && expected is Outcome.Forbidden or Outcome.NotFound && route.Methods.Count == 0 && !principal.IsAnonymous && !principal.IsMachine)
                    {
                        tokens.TryGetValue(principal.Name, out var token);
                        token ??= tokens[principal.Name] = await AntiforgeryTokenAsync(client);
                        handlers.TryGetValue(route.Pattern, out var names);
                        // A page with no POST handler is posted to as well: refused by its rule, or 405 (never rendered).
                        var none = names is null or { Count: 0 };
                        foreach (var handler in none ? [null] : names!)
                        {
                            var target = handler is null ? sample.Path : sample.Path + (sample.Path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=" + handler;
                            var posted = await AskAsync(client, HttpMethod.Post, target, token);
                            checkedPairs++;
                            if (posted.Outcome != expected && !(none && posted.Outcome == Outcome.MethodNotAllowed))
                            {
                                problems.Add($"POST {target} ({route.Pattern}, {sample.Label}) as {principal.Name}: expected {expected}, got {posted.Outcome}{posted.Location}");
                            }
                        }
                    }
                }
            }
        }

        var dump = Path.Combine(Path.GetTempPath(), $"brightline-matrix-{provider}.txt");
        await File.WriteAllTextAsync(dump, observed.ToString());
        output.WriteLine($"{routes.Count} routes, {checkedPairs} requests checked; every answer in {dump}");
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    internal static List<(string Pattern, IReadOnlyList<string> Methods)> MappedRoutes(BrightlineServer server)
    {
        var routes = new List<(string, IReadOnlyList<string>)>();
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [];
            if (!routes.Any(r => string.Equals(r.Item1, pattern, StringComparison.Ordinal)))
            {
                routes.Add((pattern, methods.ToList()));
            }
        }

        return routes.OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every page's POST handlers by route (null: the unnamed OnPost), read from the compiled pages.</summary>
    private static async Task<Dictionary<string, List<string?>>> PostHandlersAsync(BrightlineServer server)
    {
        var loader = server.Services.GetRequiredService<PageLoader>();
        var handlers = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var page in server.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<PageActionDescriptor>())
        {
            var compiled = await loader.LoadAsync(page, EndpointMetadataCollection.Empty);
            var route = "/" + (page.AttributeRouteInfo?.Template ?? "").TrimStart('/');
            var names = compiled.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)).Select(h => h.Name).Distinct().ToList();
            handlers[route] = names;
        }

        return handlers;
    }

    private static HttpClient ClientFor(MatrixWorld world, Principal principal)
    {
        if (principal.IsMachine)
        {
            if (!world.Clients.TryGetValue(Principals.ApiKey, out var machine))
            {
                machine = world.Server.CreateApiClient();
                world.Clients[Principals.ApiKey] = machine;
            }

            return machine;
        }

        return world.Clients[principal.Name];
    }

    private static bool Matches(Outcome expected, Answer actual) => expected == actual.Outcome;

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        // Every signed-in user can open their password page, and its form carries their antiforgery token.
        var (_, page) = await GetAsync(client, "/account/password");
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No antiforgery token on /account/password");
    }

    private static async Task<Answer> AskAsync(HttpClient client, HttpMethod method, string path, string? antiforgery, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post && contentType is not null)
        {
            request.Content = new StringContent(contentType == "application/json" ? "{}" : "", System.Text.Encoding.UTF8, contentType);
        }
        else if (method == HttpMethod.Post)
        {
            var fields = new List<KeyValuePair<string, string>>();
            if (antiforgery is not null)
            {
                fields.Add(new("__RequestVerificationToken", antiforgery));
            }

            request.Content = new FormUrlEncodedContent(fields);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var location = response.Headers.Location?.ToString();
        var outcome = (int)response.StatusCode switch
        {
            200 => Outcome.Ok,
            302 or 303 when location is not null && location.Contains("/account/login", StringComparison.Ordinal) => Outcome.Login,
            302 or 303 => Outcome.Redirect,
            400 => Outcome.BadRequest,
            401 => Outcome.Unauthorized,
            403 => Outcome.Forbidden,
            404 => Outcome.NotFound,
            405 => Outcome.MethodNotAllowed,
            409 => Outcome.Conflict,
            410 => Outcome.Gone,
            >= 500 => Outcome.ServerError,
            _ => Outcome.Other,
        };
        return new Answer(outcome, (outcome == Outcome.Other ? $" ({(int)response.StatusCode})" : "") + (location is null ? "" : " → " + location), body);
    }

    private sealed record Answer(Outcome Outcome, string Location, string Body);
}

internal enum Outcome
{
    Ok,
    Login,
    Redirect,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    Gone,
    ServerError,
    Other,
}
