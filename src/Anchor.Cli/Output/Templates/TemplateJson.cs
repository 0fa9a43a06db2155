using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Conversion between JSON documents and <see cref="TemplateValue"/>s, and docker's <c>json</c>
/// template function: Go's encoding/json with <c>SetEscapeHTML(false)</c> (docker
/// templates/templates.go), so <c>&lt; &gt; &amp;</c> stay as they are but control characters and
/// U+2028/U+2029 are escaped the way Go escapes them.
/// </summary>
public static class TemplateJson
{
    public static TemplateValue FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new TemplateObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = FromElement(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                return TemplateValue.From(element.EnumerateArray().Select(FromElement).ToList());
            case JsonValueKind.String:
                return TemplateValue.From(element.GetString());
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? TemplateValue.From(l) : TemplateValue.From(element.GetDouble());
            case JsonValueKind.True:
                return TemplateValue.True;
            case JsonValueKind.False:
                return TemplateValue.False;
            default:
                return TemplateValue.Null;
        }
    }

    public static TemplateValue FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return TemplateValue.Null;
            case JsonObject o:
                var obj = new TemplateObject();
                foreach (var (key, value) in o)
                {
                    obj[key] = FromNode(value);
                }

                return obj;
            case JsonArray a:
                return TemplateValue.From(a.Select(FromNode).ToList());
            default:
                using (var doc = JsonDocument.Parse(node.ToJsonString()))
                {
                    return FromElement(doc.RootElement);
                }
        }
    }

    /// <summary>Parses a JSON document (e.g. what <c>anchor inspect</c> would print for one object).</summary>
    public static TemplateValue Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromElement(doc.RootElement);
    }

    /// <summary>Compact JSON as docker's <c>json</c> function prints it.</summary>
    public static string Serialize(TemplateValue value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, TemplateValue value)
    {
        switch (value.Kind)
        {
            case TemplateValueKind.Null:
                sb.Append("null");
                break;
            case TemplateValueKind.Bool:
                sb.Append(value.AsBool ? "true" : "false");
                break;
            case TemplateValueKind.Integer:
                sb.Append(value.InvariantInteger);
                break;
            case TemplateValueKind.Float:
                sb.Append(FormatFloat(value.AsFloat));
                break;
            case TemplateValueKind.String:
                WriteString(sb, value.AsString);
                break;
            case TemplateValueKind.Array:
                sb.Append('[');
                for (var i = 0; i < value.AsArray.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, value.AsArray[i]);
                }

                sb.Append(']');
                break;
            default:
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in value.AsObject)
                {
                    if (value.AsObject.IsOmitted(key))
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, key);
                    sb.Append(':');
                    Write(sb, item);
                }

                sb.Append('}');
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\u2028' or '\u2029':
                    // encoding/json escapes these even without HTML escaping: JSONP safety.
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>encoding/json's float64 format: decimal between 1e-6 and 1e21, else exponent ("1e-07" becomes "1e-7").</summary>
    internal static string FormatFloat(double f)
    {
        var abs = Math.Abs(f);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var e = f.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
            var (mantissa, exponent) = GoFormatter.SplitExponent(e);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }

        return GoFormatter.PlainDecimal(f);
    }
}
