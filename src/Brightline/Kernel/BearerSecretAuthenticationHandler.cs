using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Brightline.Kernel;

/// <summary>
/// Authenticates a request by <c>Authorization: Bearer &lt;secret&gt;</c> (see <see cref="SecretTokens"/>): no bearer
/// value is another scheme's request; a blank or oversized one fails; otherwise the derived handler finds the row
/// by the secret's SHA-256 and says who it stands for. A challenge answers 401 with the derived handler's ProblemDetails.
/// </summary>
public abstract class BearerSecretAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>What the secret is called in messages ("device token", "extension token").</summary>
    protected abstract string SecretName { get; }

    /// <summary>The claims for the row whose stored hash is <paramref name="hash"/>, or null when none is in force.</summary>
    protected abstract Task<IReadOnlyList<Claim>?> ClaimsForAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The 401 answer: what to send and where to get one.</summary>
    protected abstract ProblemDetails ChallengeProblem();

    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SecretTokens.Bearer(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        if (secret.Length == 0)
        {
            return AuthenticateResult.Fail($"The {SecretName} is not valid.");
        }

        if (await ClaimsForAsync(SecretTokens.Hash(secret), Context.RequestAborted) is not { } claims)
        {
            return AuthenticateResult.Fail($"The {SecretName} is not valid or has been revoked.");
        }

        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected sealed override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var problem = ChallengeProblem();
        problem.Status = StatusCodes.Status401Unauthorized;
        problem.Instance = Request.Path;
        await Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken: Context.RequestAborted);
    }
}
