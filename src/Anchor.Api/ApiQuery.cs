using System.Globalization;
using System.Text.Json;

namespace Anchor.Api;

/// <summary>Query parameters as moby reads them (api/server/httputils: BoolValue, Int64ValueOrZero, filters.FromJSON).</summary>
public static class ApiQuery
{
    /// <summary>httputils.BoolValue: anything but "", "0", "no", "false" and "none" is true.</summary>
    public static bool Bool(HttpContext context, string name) =>
        context.Request.Query[name].ToString().ToLowerInvariant() is not ("" or "0" or "no" or "false" or "none");

    public static string? String(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    public static int? Int(HttpContext context, string name)
    {
        var text = String(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BadRequestException($"invalid value for {name}: {text}");
    }

    /// <summary>
    /// The <c>filters</c> parameter, {"key": ["v", ...]} or the older {"key": {"v": true}}, as the
    /// CLI's KEY=VALUE strings the engine's filters take.
    /// </summary>
    public static IReadOnlyList<string> Filters(HttpContext context)
    {
        var text = String(context, "filters");
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var list = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            foreach (var key in doc.RootElement.EnumerateObject())
            {
                var values = key.Value.ValueKind == JsonValueKind.Array
                    ? key.Value.EnumerateArray().Select(v => v.GetString() ?? "")
                    : key.Value.EnumerateObject().Where(v => v.Value.ValueKind == JsonValueKind.True).Select(v => v.Name);
                list.AddRange(values.Select(v => $"{key.Name}={v}"));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new BadRequestException($"invalid filter: {e.Message}");
        }

        return list;
    }
}
