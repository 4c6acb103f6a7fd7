using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;

namespace Brightline.Network;

/// <summary>
/// The four calls FreeRADIUS's rlm_rest makes (issue 13), each a POST of rlm_rest's JSON with the school's machine key.
/// rlm_rest reads the status code: 200 with a body (attributes to add) is ok, 204 is ok with nothing to add, 401 is a
/// reject whose body still adds the Reply-Message, and 400 is "invalid", which FreeRADIUS also turns into a reject —
/// so a request Brightline cannot read is refused, never accepted. A reject is an answer, not an error: its body is
/// the attributes for FreeRADIUS, not ProblemDetails; a 400 is ProblemDetails with its code.
/// </summary>
public static partial class RadiusApi
{
    public const string Prefix = "/api/v1/radius";
    public const string AuthorizePath = Prefix + "/authorize";
    public const string AuthenticatePath = Prefix + "/authenticate";
    public const string PostAuthPath = Prefix + "/post-auth";
    public const string AccountingPath = Prefix + "/accounting";

    /// <summary>The ProblemDetails code of a request Brightline cannot read.</summary>
    public const string MalformedCode = "radius-malformed";

    internal static Task<IResult> AuthorizeAsync(HttpContext context, NetworkAccess access, AnswerRecorder recorder, ILogger<NetworkAccess> logger, CancellationToken cancellationToken) =>
        AnswerAsync(context, logger, recorder, "authorize", (school, request) => access.AuthorizeAsync(school, request, cancellationToken));

    internal static Task<IResult> AuthenticateAsync(HttpContext context, NetworkAccess access, AnswerRecorder recorder, ILogger<NetworkAccess> logger, CancellationToken cancellationToken) =>
        AnswerAsync(context, logger, recorder, "authenticate", (school, request) => access.AuthenticateAsync(school, request, cancellationToken));

    /// <summary>post-auth: read and checked, nothing added yet (the Network page's recent rejects will be recorded here).</summary>
    internal static async Task<IResult> PostAuthAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (_, problem) = await ReadAsync(context, cancellationToken);
        return problem ?? Results.NoContent();
    }

    internal static async Task<IResult> AccountingAsync(HttpContext context, RadiusAccounting accounting, ILogger<RadiusAccounting> logger, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadAsync(context, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var school = School(context);
            var outcome = await accounting.RecordAsync(school, request!, cancellationToken);
            LogAccounting(logger, school, outcome);
            return Results.NoContent();
        }
        catch (RadiusRequestException e)
        {
            return Malformed(e.Message);
        }
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, ILogger logger, AnswerRecorder recorder, string stage, Func<string, RadiusRequest, Task<RadiusAnswer>> decide)
    {
        var (request, problem) = await ReadAsync(context, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var school = School(context);
        RadiusAnswer answer;
        try
        {
            answer = await decide(school, request!);
            await recorder.RecordAsync(school, request!, answer, context.RequestAborted);
        }
        catch (RadiusRequestException e)
        {
            return Malformed(e.Message);
        }

        // The reason code only: no user name, password, address or key reaches the log.
        // Rejects at Information (they are also recorded); the many continues and accepts at Debug — at a thousand sign-ins
        // a second a line for each costs the console logger more than the answer does (docs/benchmarks.md, RADIUS).
        LogAnswer(logger, answer.Kind == RadiusAnswerKind.Reject ? LogLevel.Information : LogLevel.Debug, stage, school, answer.Kind, answer.Code);
        var status = answer.Kind == RadiusAnswerKind.Reject ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK;
        return Results.Json(answer.ToRestJson(), statusCode: status);
    }

    private static async Task<(RadiusRequest? Request, IResult? Problem)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > RadiusRequest.MaxBodyBytes)
        {
            return (null, Malformed($"The request body is larger than {RadiusRequest.MaxBodyBytes} bytes."));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RadiusRequest.MaxBodyBytes + 1;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException)
        {
            return (null, Malformed($"The request body is larger than {RadiusRequest.MaxBodyBytes} bytes."));
        }

        try
        {
            return (RadiusRequest.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), null);
        }
        catch (RadiusRequestException e)
        {
            return (null, Malformed(e.Message));
        }
    }

    private static string School(HttpContext context) => context.User.FindFirstValue(RadiusClaims.School)!;

    private static IResult Malformed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The RADIUS request could not be read", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = MalformedCode });

    [LoggerMessage(EventId = 13002, Message = "RADIUS {Stage} for school {School}: {Kind} ({Code})")]
    private static partial void LogAnswer(ILogger logger, LogLevel level, string stage, string school, RadiusAnswerKind kind, string code);

    [LoggerMessage(EventId = 13003, Level = LogLevel.Debug, Message = "RADIUS accounting for school {School}: {Outcome}")]
    private static partial void LogAccounting(ILogger logger, string school, AccountingOutcome outcome);
}
