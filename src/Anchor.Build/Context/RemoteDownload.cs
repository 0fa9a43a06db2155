using System.Net;
using System.Net.Http.Headers;

namespace Anchor.Build.Context;

/// <summary>
/// ADD's URL sources (http and https only), downloaded by the builder itself, not by a RUN
/// container, so <c>--network none</c> does not apply to them (as in docker's builders).
/// </summary>
internal static class RemoteDownload
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal);

    /// <summary>Downloads <paramref name="url"/> to <paramref name="path"/>; a status other than 2xx is an error, as docker's GetWithStatusError makes it.</summary>
    public static RemoteFile Fetch(string url, string path)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new BuildException($"ADD failed: invalid URL {url}");
        }

        try
        {
            using var response = Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                throw new BuildException($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var body = response.Content.ReadAsStream())
            {
                body.CopyTo(file);
            }

            // The Dockerfile reference: a Last-Modified header sets the file's mtime; without one the download's time.
            var modified = response.Content.Headers.LastModified ?? DateTimeOffset.UtcNow;
            return new RemoteFile(NameOf(uri, response.Content.Headers.ContentDisposition), path, modified);
        }
        catch (HttpRequestException e)
        {
            throw new BuildException($"failed to GET {url}: {e.Message}");
        }
    }

    /// <summary>
    /// The file's name in a destination directory (moby's getFilenameForDownload): the URL path's
    /// last element, else Content-Disposition's filename, else BuildKit's "__unnamed__".
    /// </summary>
    internal static string NameOf(Uri uri, ContentDispositionHeaderValue? disposition)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        if (path.Length > 0 && !path.EndsWith('/'))
        {
            return path[(path.LastIndexOf('/') + 1)..];
        }

        var given = (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"');
        if (!string.IsNullOrEmpty(given) && !given.EndsWith('/'))
        {
            var name = given[(given.LastIndexOf('/') + 1)..];
            if (name is not ("" or "." or ".."))
            {
                return name;
            }
        }

        return "__unnamed__";
    }
}
