using System.Text.Json;

namespace Anchor.Api;

/// <summary>A request's JSON body; malformed JSON is docker's 400, an empty body an empty object.</summary>
public static class ApiBody
{
    public static async Task<JsonDocument> Read(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            return JsonDocument.Parse("{}");
        }

        try
        {
            return JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new BadRequestException(e.Message);
        }
    }
}
