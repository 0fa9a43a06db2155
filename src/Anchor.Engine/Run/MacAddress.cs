using System.Globalization;

namespace Anchor.Engine.Run;

/// <summary>
/// --mac-address: the 48-bit forms Go's net.ParseMAC reads (00:00:5e:00:53:01, 00-00-5e-00-53-01,
/// 0000.5e00.5301), refused in docker 20.10's words ("X is not a valid mac address").
/// </summary>
public static class MacAddress
{
    /// <summary>The value as given, once it is known to parse.</summary>
    public static string? Validate(string? value)
    {
        if (value is null or "")
        {
            return null;
        }

        return TryParse(value, out _) ? value : throw new EngineException($"{value} is not a valid mac address");
    }

    /// <summary>Lower-case, colon-separated (Go's HardwareAddr.String()).</summary>
    public static string Normalize(string value) =>
        TryParse(value, out var bytes) ? string.Join(':', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))) : throw new EngineException($"{value} is not a valid mac address");

    public static bool TryParse(string value, out byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(value);
        bytes = [];
        string hex;
        if (value.Length == 17 && (value[2] == ':' || value[2] == '-'))
        {
            var separator = value[2];
            for (var i = 2; i < 17; i += 3)
            {
                if (value[i] != separator)
                {
                    return false;
                }
            }

            hex = value.Replace(separator.ToString(), "", StringComparison.Ordinal);
        }
        else if (value.Length == 14 && value[4] == '.' && value[9] == '.')
        {
            hex = value.Replace(".", "", StringComparison.Ordinal);
        }
        else
        {
            return false;
        }

        if (hex.Length != 12 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(hex);
        return true;
    }
}
