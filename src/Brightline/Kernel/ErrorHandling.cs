using Brightline.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Kernel;

/// <summary>
/// The one place typed domain exceptions become HTTP answers: ProblemDetails for /api, a friendly page
/// for the portal. Nothing is written to the database by a failed request.
/// </summary>
public static class ErrorHandling
{
    public static WebApplication UseBrightlineErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title, detail) = Describe(error);
            context.Response.StatusCode = status;
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
                if (error is InvalidException { Field: { } field })
                {
                    problem.Extensions["field"] = field;
                }

                await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(FriendlyPage(title, detail), context.RequestAborted);
        }));
        app.UseStatusCodePages();
        return app;
    }

    public static (int Status, string Title, string Detail) Describe(Exception? error) => error switch
    {
        PolicyInvalidException p => (StatusCodes.Status422UnprocessableEntity, "The policy has errors", string.Join('\n', p.Errors)),
        DomainException d => (StatusOf(d), d.Title, d.Message),
        BadHttpRequestException b => (b.StatusCode, "Bad request", b.Message),
        _ => (StatusCodes.Status500InternalServerError, "Something went wrong", "The error has been logged. Nothing you had saved was lost."),
    };

    /// <summary>The one mapping from a kind of domain failure to its HTTP status code.</summary>
    public static int StatusOf(DomainException error) => error switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        ForbiddenException => StatusCodes.Status403Forbidden,
        ConflictException => StatusCodes.Status409Conflict,
        GoneException => StatusCodes.Status410Gone,
        TooLargeException => StatusCodes.Status413PayloadTooLarge,
        InvalidException => StatusCodes.Status400BadRequest,
        _ => throw new System.Diagnostics.UnreachableException($"{error.GetType().Name} has no status code."),
    };

    private static string FriendlyPage(string title, string detail) =>
        $"""
        <!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{System.Net.WebUtility.HtmlEncode(title)} — Brightline</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#1b1b1b">
        <main><h1>{System.Net.WebUtility.HtmlEncode(title)}</h1><p>{System.Net.WebUtility.HtmlEncode(detail)}</p>
        <p><a href="/">Back to the dashboard</a></p></main></body></html>
        """;
}
