using Microsoft.AspNetCore.Http.Features;

namespace Anchor.Api;

/// <summary>
/// Lifts Kestrel's 30 MB request body limit for one request: an image archive (load, import) or a
/// build context is as large as the user's data, and dockerd reads them without a limit.
/// </summary>
public static class LargeRequestBody
{
    public static Stream Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        return context.Request.Body;
    }
}
