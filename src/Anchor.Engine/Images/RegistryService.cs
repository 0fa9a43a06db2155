using Anchor.Images;
using Anchor.Images.Registry;
using Anchor.Oci.Reference;

namespace Anchor.Engine.Images;

/// <summary>The registry verbs (pull, push, login, logout) with docker's output lines.</summary>
public sealed class RegistryService(ImageStore store)
{
    /// <summary>docker pull and docker push exit 1 on failure (only run uses 125).</summary>
    public const int FailureExitCode = 1;

    /// <summary>
    /// docker pull's plain (non-terminal) output: "latest: Pulling from library/busybox", a line per
    /// layer event, "Digest: …", "Status: …" and the full reference; with <paramref name="quiet"/>
    /// only the full reference.
    /// </summary>
    /// <param name="credentials">The API's X-Registry-Auth for this pull; null: the client config's.</param>
    public StoredImage Pull(string name, string? platform, TextWriter output, bool quiet = false, int exitCode = FailureExitCode, bool printReference = true, IPullView? view = null, RegistryCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reference = Parse(name, exitCode);
        var sync = TextWriter.Synchronized(output);
        view ??= new PlainPullView(sync);
        if (!quiet && !HasTagOrDigest(name))
        {
            view.Line($"Using default tag: {ImageReference.DefaultTag}");
        }

        try
        {
            var wanted = platform is null ? null : PlatformSelector.Parse(platform);
            var puller = new ImagePuller(store, ClientConfig.Load()) { Downloaded = quiet ? null : view.Downloaded, Credentials = credentials };
            var result = puller.Pull(reference, wanted, quiet ? null : view.Status);
            if (!quiet)
            {
                view.Line($"Digest: {result.Digest}");
                view.Line(result.UpToDate
                    ? $"Status: Image is up to date for {reference.FamiliarName}"
                    : $"Status: Downloaded newer image for {reference.FamiliarName}");
            }

            if (printReference)
            {
                sync.WriteLine(reference.ToString());
            }

            // moby's pull event: the actor is the familiar reference with its tag, name its repository.
            Events.EventLog.Emit(store.Root, Events.EventLog.Image(reference.FamiliarName, reference.FamiliarRepository, "pull"));

            return result.Image;
        }
        catch (ImageException e)
        {
            // moby's translatePullError: a missing manifest or repository and a refused pull are
            // errdefs.NotFound (the API's 404; docker-py's ImageNotFound).
            var message = Describe(e, reference);
            var missing = e.Kind == ImageErrorKind.NotFound || message.StartsWith("pull access denied", StringComparison.Ordinal);
            throw new EngineException(message, exitCode) { Kind = missing ? EngineErrorKind.NotFound : EngineErrorKind.Internal };
        }
    }

    /// <summary>docker push: "The push refers to repository [...]", a line per layer, then "TAG: digest: … size: N".</summary>
    public void Push(string name, TextWriter output) => Push(name, PushOptions.Default, output);

    /// <summary>As above with podman's --format, --compression-format and --compression-level.</summary>
    /// <param name="view">Where the lines go (the API's JSON messages); null: plain lines on <paramref name="output"/>.</param>
    /// <param name="credentials">The API's X-Registry-Auth for this push; null: the client config's.</param>
    public PushResult Push(string name, PushOptions options, TextWriter output, IPullView? view = null, RegistryCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reference = Parse(name, FailureExitCode);
        var image = store.Find(reference.ToString())
            ?? throw new EngineException($"An image does not exist locally with the tag: {reference.FamiliarRepository}", FailureExitCode) { Kind = EngineErrorKind.NotFound };
        view ??= new PlainPullView(output);
        view.Line($"The push refers to repository [{reference.Repository}]");
        try
        {
            var pushed = new ImagePusher(store, ClientConfig.Load()) { Credentials = credentials }.Push(image, reference, options, view.Status);
            view.Line($"{reference.Tag ?? "latest"}: digest: {pushed.Digest} size: {pushed.Size}");
            Events.EventLog.Emit(store.Root, Events.EventLog.Image(reference.FamiliarName, reference.FamiliarRepository, "push"));
            return pushed;
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message, FailureExitCode);
        }
    }

    /// <summary>push's --format, --compression-format and --compression-level, checked (exit 1 with one line naming the flag).</summary>
    public static PushOptions PushOptionsOf(string? format, string? compression, int? level)
    {
        try
        {
            return PushOptions.Parse(format, compression, level);
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message, FailureExitCode);
        }
    }

    /// <summary>docker login: checks the credentials against the registry's /v2/, then stores them.</summary>
    public static void Login(string? server, string username, string password, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var config = ClientConfig.Load(ClientConfig.DefaultPath());
        var (endpoint, credentials) = CheckLogin(server, username, password, config);
        try
        {
            config.SetCredentials(endpoint.AuthKey, credentials);
            config.Save();
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message, FailureExitCode);
        }

        output.WriteLine("Login Succeeded");
    }

    /// <summary>
    /// The API's POST /auth: the same check against the registry's /v2/ as login's, storing
    /// nothing (docker's daemon keeps no credentials: its client stores them).
    /// </summary>
    public static void CheckLogin(string? server, string username, string password) =>
        CheckLogin(server, username, password, ClientConfig.Load(ClientConfig.DefaultPath()));

    private static (RegistryEndpoint Endpoint, RegistryCredentials Credentials) CheckLogin(string? server, string username, string password, ClientConfig config)
    {
        var domain = RegistryEndpoint.NormalizeServer(server ?? RegistryEndpoint.DockerHubDomain);
        var endpoint = RegistryEndpoint.Resolve(domain, config.InsecureRegistries);
        var credentials = new RegistryCredentials(username, password);
        try
        {
            new RegistryClient(endpoint, "", credentials).Login();
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message, FailureExitCode);
        }

        return (endpoint, credentials);
    }

    /// <summary>docker logout: "Removing login credentials for HOST" (or "Not logged in to HOST").</summary>
    public static void Logout(string? server, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var domain = RegistryEndpoint.NormalizeServer(server ?? RegistryEndpoint.DockerHubDomain);
        var config = ClientConfig.Load(ClientConfig.DefaultPath());
        var key = RegistryEndpoint.Resolve(domain).AuthKey;
        if (!config.RemoveCredentials(key))
        {
            output.WriteLine($"Not logged in to {key}");
            return;
        }

        config.Save();
        output.WriteLine($"Removing login credentials for {key}");
    }

    private static string Describe(ImageException e, ImageReference reference) =>
        e is RegistryException { Status: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } || (e is RegistryException r && r.Codes.Contains("NAME_UNKNOWN"))
            ? $"pull access denied for {reference.FamiliarRepository}, repository does not exist or may require 'docker login': {e.Message}"
            : e.Message;

    private static bool HasTagOrDigest(string name) =>
        name.Contains('@', StringComparison.Ordinal) || name.LastIndexOf(':') > name.LastIndexOf('/');

    private static ImageReference Parse(string name, int exitCode) =>
        ImageReference.TryParse(name, out var reference, out var error) ? reference : throw new EngineException(error, exitCode);
}
