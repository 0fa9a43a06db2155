using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anchor.Oci;

namespace Anchor.Images.Registry;

/// <summary>
/// The OCI distribution protocol for one repository (distribution spec, spec.md): manifests, blobs,
/// uploads, with the token flow (a 401's <c>WWW-Authenticate: Bearer realm,service,scope</c> is
/// answered by fetching a token from the realm, with the user's credentials as Basic if any —
/// docker's registry/auth/token) and HTTP Basic. Synchronous on purpose: layers are fetched on
/// threads of their own, each a straight pipe from socket to hash to disk.
/// Idempotent requests are retried on transient failures (connection errors, 5xx, 429).
/// </summary>
public sealed class RegistryClient
{
    public const int MaxAttempts = 4;

    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        AllowAutoRedirect = true, // blob GETs may redirect to storage; .NET drops Authorization on redirect.
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly RegistryCredentials? _credentials;
    private readonly string _actions;
    private readonly Lock _authLock = new();
    private AuthenticationHeaderValue? _authorization;

    public RegistryClient(RegistryEndpoint endpoint, string repository, RegistryCredentials? credentials, bool push = false)
    {
        Endpoint = endpoint;
        Repository = repository;
        _credentials = credentials;
        _actions = push ? "pull,push" : "pull";
    }

    public RegistryEndpoint Endpoint { get; }

    public string Repository { get; }

    /// <summary>Manifest media types Anchor understands, in the Accept header (distribution spec "Pulling manifests").</summary>
    public static readonly string[] ManifestTypes =
        [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];

    public Uri Url(string relative) => new(Endpoint.BaseUri, $"v2/{Repository}/{relative}");

    /// <summary>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;: the raw bytes, the media type and the digest of the bytes.</summary>
    public RegistryManifest GetManifest(string reference, string display)
    {
        using var response = Send(() =>
        {
            var r = new HttpRequestMessage(HttpMethod.Get, Url($"manifests/{reference}"));
            foreach (var type in ManifestTypes)
            {
                r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return r;
        });
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw RegistryError.From(response, $"manifest for {display} not found");
        }

        Ensure(response, $"error fetching manifest for {display}");
        var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return new RegistryManifest(bytes, BodyMediaType(bytes) ?? mediaType ?? "", Digest.Sha256(bytes));
    }

    /// <summary>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;; the caller reads and disposes the response.</summary>
    public HttpResponseMessage GetBlob(Digest digest)
    {
        var response = Send(() => new HttpRequestMessage(HttpMethod.Get, Url($"blobs/{digest}")), HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw RegistryError.From(response, $"error fetching blob {digest}");
            }
        }

        return response;
    }

    /// <summary>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;: does the registry have it (distribution spec "Checking if content exists")?</summary>
    public bool BlobExists(Digest digest)
    {
        using var response = Send(() => new HttpRequestMessage(HttpMethod.Head, Url($"blobs/{digest}")));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        Ensure(response, $"error checking blob {digest}");
        return true;
    }

    /// <summary>
    /// Uploads a blob (distribution spec "Pushing blobs"): POST opens a session; a blob up to
    /// <paramref name="chunkSize"/> goes in one PUT (monolithic), a larger one in PATCH chunks with
    /// Content-Range, then the closing PUT with ?digest=.
    /// </summary>
    public void PushBlob(Digest digest, long size, Func<Stream> open, long chunkSize, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                PushBlobOnce(digest, size, open, chunkSize, progress);
                return;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e))
            {
                Thread.Sleep(Backoff(attempt));
            }
        }
    }

    /// <summary>
    /// Cross-repository blob mount (distribution spec, "Mounting a blob from another repository"):
    /// POST ?mount=DIGEST&amp;from=REPO. 201 Created: the blob is now in this repository too. A 202
    /// means the registry opened an upload session instead (it may not mount, or the credentials
    /// cannot read <paramref name="fromRepository"/>); that session is cancelled and false returned,
    /// as for any refusal, so the caller uploads the blob.
    /// </summary>
    public bool MountBlob(Digest digest, string fromRepository)
    {
        try
        {
            using var response = Send(() => new HttpRequestMessage(HttpMethod.Post, Url($"blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}")));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return true;
            }

            if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is not null)
            {
                using var cancel = Send(() => new HttpRequestMessage(HttpMethod.Delete, Location(response)));
            }

            return false;
        }
        catch (RegistryException)
        {
            return false;
        }
    }

    /// <summary>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;.</summary>
    public void PutManifest(string reference, byte[] manifest, string mediaType)
    {
        using var response = Send(() => new HttpRequestMessage(HttpMethod.Put, Url($"manifests/{reference}"))
        {
            Content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        });
        Ensure(response, "error pushing manifest");
    }

    /// <summary>
    /// docker login's check: GET /v2/ with the credentials (through the token realm when the
    /// registry uses tokens). Throws "unauthorized: incorrect username or password" when refused.
    /// </summary>
    public void Login()
    {
        using var response = Send(() => new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint.BaseUri, "v2/")), scope: false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new RegistryException($"Get \"{new Uri(Endpoint.BaseUri, "v2/")}\": unauthorized: incorrect username or password");
        }

        Ensure(response, $"login attempt to {new Uri(Endpoint.BaseUri, "v2/")} failed");
    }

    internal HttpResponseMessage Send(Func<HttpRequestMessage> make, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, bool scope = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = SendAuthorized(make, completion, scope);
                var status = (int)response.StatusCode;
                if (attempt < MaxAttempts && (status >= 500 || status == 429))
                {
                    response.Dispose();
                    Thread.Sleep(Backoff(attempt));
                    continue;
                }

                return response;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e))
            {
                response?.Dispose();
                Thread.Sleep(Backoff(attempt));
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException($"Get \"{Endpoint.BaseUri}v2/\": {e.Message}", e);
            }
        }
    }

    internal static bool IsTransient(Exception e) => e is HttpRequestException or IOException or TaskCanceledException;

    internal static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(250 << Math.Min(attempt, 5));

    private HttpResponseMessage SendAuthorized(Func<HttpRequestMessage> make, HttpCompletionOption completion, bool scope)
    {
        var response = SendOnce(make, completion);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenges = AuthChallenge.Parse(string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString())));
        var sent = _authorization;
        response.Dispose();
        lock (_authLock)
        {
            // Another thread may have authorised meanwhile; otherwise answer the challenge.
            if (_authorization == sent && !Authorize(challenges, scope))
            {
                return SendOnce(make, completion);
            }
        }

        return SendOnce(make, completion);
    }

    private HttpResponseMessage SendOnce(Func<HttpRequestMessage> make, HttpCompletionOption completion)
    {
        using var request = make();
        if (_authorization is { } auth && request.RequestUri!.Authority == Endpoint.BaseUri.Authority)
        {
            request.Headers.Authorization = auth;
        }

        request.Headers.UserAgent.ParseAdd("anchor/0.1");
        return Http.Send(request, completion);
    }

    /// <summary>Sets the Authorization for the challenge; false when nothing could be done.</summary>
    private bool Authorize(IReadOnlyList<AuthChallenge> challenges, bool scope)
    {
        if (challenges.FirstOrDefault(c => c.IsBearer) is { } bearer && bearer["realm"] is { } realm)
        {
            var query = new List<string>();
            if (bearer["service"] is { } service)
            {
                query.Add("service=" + Uri.EscapeDataString(service));
            }

            if (scope)
            {
                query.Add("scope=" + Uri.EscapeDataString($"repository:{Repository}:{_actions}"));
            }
            else if (bearer["scope"] is { } given)
            {
                query.Add("scope=" + Uri.EscapeDataString(given));
            }

            if (_credentials is not null)
            {
                query.Add("account=" + Uri.EscapeDataString(_credentials.Username));
            }

            var url = realm + (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query);
            _authorization = new AuthenticationHeaderValue("Bearer", FetchToken(new Uri(url)));
            return true;
        }

        if (challenges.Any(c => c.IsBasic) && _credentials is not null)
        {
            _authorization = new AuthenticationHeaderValue("Basic", _credentials.Encoded);
            return true;
        }

        return false;
    }

    /// <summary>GET realm?service&amp;scope → {"token": …} or {"access_token": …} (docker's token spec).</summary>
    private string FetchToken(Uri url)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (_credentials is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _credentials.Encoded);
                }

                using var response = Http.Send(request);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new RegistryException($"Get \"{url.GetLeftPart(UriPartial.Path)}\": unauthorized: incorrect username or password", response.StatusCode, ["UNAUTHORIZED"]);
                }

                if ((int)response.StatusCode >= 500 && attempt < MaxAttempts)
                {
                    Thread.Sleep(Backoff(attempt));
                    continue;
                }

                Ensure(response, "fetching an auth token");
                using var doc = JsonDocument.Parse(response.Content.ReadAsStream());
                foreach (var name in (string[])["token", "access_token"])
                {
                    if (doc.RootElement.TryGetProperty(name, out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                    {
                        return value;
                    }
                }

                throw new RegistryException($"the token server {url.Host} returned no token");
            }
            catch (Exception e) when (attempt < MaxAttempts && e is HttpRequestException or IOException)
            {
                Thread.Sleep(Backoff(attempt));
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException($"fetching an auth token from {url.Host}: {e.Message}", e);
            }
            catch (JsonException e)
            {
                throw new RegistryException($"the token server {url.Host} returned invalid JSON: {e.Message}", e);
            }
        }
    }

    private void PushBlobOnce(Digest digest, long size, Func<Stream> open, long chunkSize, Action<long>? progress)
    {
        Uri location;
        using (var start = Send(() => new HttpRequestMessage(HttpMethod.Post, Url("blobs/uploads/"))))
        {
            Ensure(start, $"error starting the upload of {digest}");
            location = Location(start);
        }

        using var content = open();
        if (size > chunkSize)
        {
            var buffer = new byte[chunkSize];
            long offset = 0;
            while (offset < size)
            {
                var n = content.ReadAtLeast(buffer, (int)Math.Min(chunkSize, size - offset), throwOnEndOfStream: true);
                var chunk = new ByteArrayContent(buffer, 0, n);
                chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = chunk };
                // The distribution spec's "start-end" form, not RFC 9110's "bytes start-end/size": untyped.
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + n - 1}");
                using var patched = SendOnce(() => request, HttpCompletionOption.ResponseContentRead);
                Ensure(patched, $"error uploading {digest}");
                location = Location(patched);
                offset += n;
                progress?.Invoke(offset);
            }

            using var close = SendOnce(() => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)), HttpCompletionOption.ResponseContentRead);
            Ensure(close, $"error uploading {digest}");
        }
        else
        {
            var body = new StreamContent(content, 1 << 16);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = size;
            using var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = body };
            using var put = SendOnce(() => request, HttpCompletionOption.ResponseContentRead);
            Ensure(put, $"error uploading {digest}");
            progress?.Invoke(size);
        }
    }

    private Uri Location(HttpResponseMessage response) =>
        response.Headers.Location is { } l
            ? (l.IsAbsoluteUri ? l : new Uri(Endpoint.BaseUri, l))
            : throw new RegistryException("the registry answered an upload without a Location header");

    private static Uri WithDigest(Uri location, Digest digest) =>
        new(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest.ToString()));

    private static void Ensure(HttpResponseMessage response, string context)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw RegistryError.From(response, context);
        }
    }

    /// <summary>The "mediaType" field of a manifest or index, which wins over a generic Content-Type.</summary>
    private static string? BodyMediaType(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
