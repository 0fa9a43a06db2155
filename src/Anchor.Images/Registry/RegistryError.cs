using System.Net;
using System.Text.Json;

namespace Anchor.Images.Registry;

/// <summary>
/// Turns a registry's error response into docker's wording. The body is
/// <c>{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":…}]}</c>
/// (distribution spec, "Error Codes"); docker prints each as "manifest unknown: manifest unknown"
/// (errcode.Error.Error: the code's lower-cased description, then the message).
/// </summary>
internal static class RegistryError
{
    public static RegistryException From(HttpResponseMessage response, string context)
    {
        var status = response.StatusCode;
        var codes = new List<string>();
        var parts = new List<string>();
        try
        {
            using var body = response.Content.ReadAsStream();
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in errors.EnumerateArray())
                {
                    var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
                    var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
                    codes.Add(code);
                    parts.Add(code.Length == 0 ? message : $"{code.ToLowerInvariant().Replace('_', ' ')}: {message}");
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            // Not a distribution error body (a proxy's HTML page, an empty 404): the status says enough.
        }

        var detail = parts.Count > 0 ? string.Join(", ", parts) : Describe(status);
        return new RegistryException($"{context}: {detail}", status, codes);
    }

    public static string Describe(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "unauthorized: authentication required",
        HttpStatusCode.Forbidden => "denied: requested access to the resource is denied",
        HttpStatusCode.NotFound => "not found",
        _ => $"unexpected status code {(int)status} {status}",
    };
}
