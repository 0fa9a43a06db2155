using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// The tests' own token server (docker's registry/auth/token spec) on an HttpListener on loopback:
/// GET /token?service&amp;scope answers {"token": JWT} signed RS256 with a self-signed certificate
/// carried in the JWT's x5c header, which the registry trusts through its rootcertbundle. When a
/// user is set, requests must carry that user's Basic credentials (401 otherwise).
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "anchor-test-registry";
    public const string Issuer = "anchor-test-issuer";
    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string? _user;
    private readonly string? _password;
    private readonly Thread _thread;
    private int _issued;

    public TokenServer(string? user = null, string? password = null)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest("CN=anchor-test-token", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var port = RegistryServer.FreePort();
        Realm = $"http://127.0.0.1:{port}/token";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public string Realm { get; }

    public string CertificatePem => _certificate.ExportCertificatePem() + "\n";

    /// <summary>How many tokens were handed out.</summary>
    public int Issued => Volatile.Read(ref _issued);

    public void Dispose()
    {
        _listener.Close();
        _certificate.Dispose();
        _key.Dispose();
    }

    private void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using var response = context.Response;
        var subject = "";
        if (_user is not null)
        {
            var header = context.Request.Headers["Authorization"] ?? "";
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
            if (header != expected)
            {
                response.StatusCode = 401;
                return;
            }

            subject = _user;
        }

        var scopes = context.Request.QueryString.GetValues("scope") ?? [];
        var token = Jwt(subject, scopes);
        Interlocked.Increment(ref _issued);
        var body = Json(w =>
        {
            w.WriteString("token", token);
            w.WriteNumber("expires_in", 300);
        });
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
    }

    private string Jwt(string subject, string[] scopes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Json(w =>
        {
            w.WriteString("typ", "JWT");
            w.WriteString("alg", "RS256");
            w.WriteStartArray("x5c");
            w.WriteStringValue(Convert.ToBase64String(_certificate.RawData));
            w.WriteEndArray();
        });
        var claims = Json(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteString("sub", subject);
            w.WriteString("aud", Service);
            w.WriteNumber("exp", now + 300);
            w.WriteNumber("nbf", now - 10);
            w.WriteNumber("iat", now);
            w.WriteString("jti", Guid.NewGuid().ToString("N"));
            w.WriteStartArray("access");
            foreach (var scope in scopes)
            {
                // repository:team/app:pull,push — every requested action is granted.
                var parts = scope.Split(':');
                if (parts.Length != 3)
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("type", parts[0]);
                w.WriteString("name", parts[1]);
                w.WriteStartArray("actions");
                foreach (var action in parts[2].Split(','))
                {
                    w.WriteStringValue(action);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        var signingInput = B64(header) + "." + B64(claims);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + B64(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
