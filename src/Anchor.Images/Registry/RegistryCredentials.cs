namespace Anchor.Images.Registry;

/// <summary>A user name and password (or identity token) for one registry.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>The base64 "user:password" of config.json's "auth" field and of HTTP Basic (RFC 7617).</summary>
    public string Encoded => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    public static RegistryCredentials? Decode(string? auth)
    {
        if (string.IsNullOrEmpty(auth))
        {
            return null;
        }

        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : new RegistryCredentials(text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
