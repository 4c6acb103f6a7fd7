namespace Brightline.Portal;

/// <summary>
/// The portal's own stylesheet, icon and scripts, served from memory: the content security policy allows styles and
/// scripts from the portal itself only, so each is a fixed text at a fixed path, open to everyone and cached a while.
/// </summary>
public static class TextAssets
{
    public static void MapTextAsset(this IEndpointRouteBuilder app, string path, string text, string contentType, int maxAgeSeconds) =>
        app.MapGet(path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = $"public, max-age={maxAgeSeconds}";
            return Results.Text(text, contentType);
        }).AllowAnonymous().ExcludeFromDescription();
}
