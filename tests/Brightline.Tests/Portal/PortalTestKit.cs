using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Portal;

/// <summary>Driving the portal like a browser without JavaScript: GET a page, fill its form (antiforgery included), POST it.</summary>
internal static class PortalTestKit
{
    public const string Password = "correct horse battery staple";

    private static readonly HtmlParser s_parser = new();

    /// <summary>
    /// A portal client whose connections come from the local address <paramref name="from"/> (a
    /// loopback address standing in for a device on a school network), with cookies and without
    /// following redirects.
    /// </summary>
    public static HttpClient ClientFrom(BrightlineServer server, IPAddress from) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = server.BaseAddress };

    public static async Task<(HttpResponseMessage Response, IDocument Document)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (html.Length == 0)
        {
            html = $"<!doctype html><html><body><p>HTTP {(int)response.StatusCode} {response.Headers.Location}</p></body></html>";
        }

        return (response, await s_parser.ParseDocumentAsync(html));
    }

    /// <summary>Submits the form at <paramref name="formSelector"/> with its own hidden fields (antiforgery token) plus <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, IDocument page, string pagePath, IDictionary<string, string> fields, string formSelector = "main form")
    {
        var form = page.QuerySelectorAll(formSelector).OfType<IHtmlFormElement>()
            .FirstOrDefault(f => f.QuerySelector("input[name=__RequestVerificationToken]") is not null)
            ?? throw new InvalidOperationException($"No form with an antiforgery token at {pagePath}:\n{page.DocumentElement.OuterHtml}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            if (!fields.ContainsKey(input.Name ?? ""))
            {
                values.Add(new(input.Name ?? "", input.Value));
            }
        }

        values.AddRange(fields);
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pagePath : form.GetAttribute("action")!;
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password = Password)
    {
        var (_, page) = await GetAsync(client, "/account/login");
        return await SubmitAsync(client, page, "/account/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
    }

    public static async Task<ApplicationUser> CreateUserAsync(BrightlineServer server, string email, string role, Guid? personId = null, string schoolId = TestSchool.Id)
    {
        await using var scope = server.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = server.Clock.GetUtcNow() };
        var result = await users.CreateAsync(user, Password);
        result.Succeeded.ShouldBeTrue(string.Join("; ", result.Errors.Select(e => e.Description)));
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = schoolId, Role = role, PersonId = personId });
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>
    /// An account of a role that needs two-factor sign-in, enrolled and signed in (code from the real clock: Identity checks TOTP against it);
    /// with <paramref name="personId"/>, an account that stands for that person (e.g. the subject of an allegation).
    /// </summary>
    public static async Task<HttpClient> SignInWithTwoFactorAsync(BrightlineServer server, string email, string role, Guid? personId = null, string schoolId = TestSchool.Id) =>
        await SignInEnrolledAsync(server, await CreateUserAsync(server, email, role, personId, schoolId));

    /// <summary>Enrols <paramref name="user"/> in two-factor sign-in and signs in with password and a current code.</summary>
    public static async Task<HttpClient> SignInEnrolledAsync(BrightlineServer server, ApplicationUser user)
    {
        var key = await EnrolAuthenticatorAsync(server, user);
        var client = server.CreateClient();
        (await LoginAsync(client, user.Email!)).ShouldRedirectTo("/account/login-2fa");
        var (_, page) = await GetAsync(client, "/account/login-2fa");
        (await SubmitAsync(client, page, "/account/login-2fa", new Dictionary<string, string> { ["Code"] = Totp(key, DateTimeOffset.UtcNow) })).ShouldRedirectTo("/");
        return client;
    }

    /// <summary>Turns two-factor sign-in on for <paramref name="user"/> with a new authenticator key, and returns the key (base32).</summary>
    public static async Task<string> EnrolAuthenticatorAsync(BrightlineServer server, ApplicationUser user)
    {
        await using var scope = server.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var stored = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(stored);
        var key = (await users.GetAuthenticatorKeyAsync(stored))!;
        await users.SetTwoFactorEnabledAsync(stored, true);
        return key;
    }

    public static void ShouldRedirectTo(this HttpResponseMessage response, string pathStart)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"expected a redirect to {pathStart}");
        // Cookie authentication redirects with an absolute address; pages redirect with a path.
        var location = response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.ToString();
        location.ShouldStartWith(pathStart, Case.Sensitive);
    }

    /// <summary>RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) from the base32 key the enrolment page shows.</summary>
    public static string Totp(string base32Key, DateTimeOffset at)
    {
        var key = Base32Decode(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var counter = at.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        for (var i = 7; i >= 0; i--)
        {
            message[i] = (byte)(counter & 0xff);
            counter >>= 8;
        }

        var hash = HMACSHA1.HashData(key, message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in input.TrimEnd('='))
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"Not base32: {c}");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
