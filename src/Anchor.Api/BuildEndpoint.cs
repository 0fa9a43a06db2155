using System.Text.Json;
using Anchor.Build;
using Anchor.Engine;
using Anchor.Engine.Build;
using Anchor.Oci.Reference;

namespace Anchor.Api;

/// <summary>
/// POST /build (moby api/server/router/build, the classic builder's parameters): the body is the
/// context (a tar, plain or compressed, or a Dockerfile alone), staged and built by the engine
/// code of `anchor build -`, with the step log and RUN steps' output streamed as {"stream"}
/// messages, {"aux": {"ID"}} at the end and a failure as {"errorDetail"} carrying the failed
/// step's exit code (docker's CLI exits with it).
/// </summary>
public sealed class BuildEndpoint(AnchorEngine engine)
{
    public Task Build(HttpContext context)
    {
        var query = context.Request.Query;
        if (!string.IsNullOrEmpty(ApiQuery.String(context, "remote")))
        {
            throw new BadRequestException("building from a remote context (remote=) is not supported by anchor serve");
        }

        var references = new List<ImageReference>();
        foreach (var tag in query["t"].Where(t => !string.IsNullOrEmpty(t)))
        {
            if (!ImageReference.TryParse(tag!, out var reference, out var error))
            {
                throw new BadRequestException($"invalid reference format: {tag}: {error}");
            }

            references.Add(reference.Tag is null && reference.Digest is null ? reference.WithTag(ImageReference.DefaultTag) : reference);
        }

        // RUN steps use the host's network unless none is asked for, as `anchor build --network`.
        var network = ApiQuery.String(context, "networkmode");
        if (network is not (null or "" or "default" or "host" or "none"))
        {
            throw new BadRequestException($"networkmode {network}: anchor builds run RUN steps with the default (host), host or none network only");
        }

        var settings = new BuildRunSettings
        {
            // docker's client sends one value per --add-host; older clients join them with commas.
            ExtraHosts = [.. query["extrahosts"].SelectMany(h => (h ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(Anchor.Engine.Networks.ExtraHosts.Validate)],
            ShmSize = long.TryParse(ApiQuery.String(context, "shmsize"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var shm) ? shm : 0,
        };
        // A null build-arg value is the ARG's default in moby (buildargs.go): the server's own
        // environment (what `anchor build --build-arg K` reads) is not the client's.
        var buildArgs = JsonMap(context, "buildargs").Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var labels = JsonMap(context, "labels").ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
        var dockerfile = ApiQuery.String(context, "dockerfile") is { Length: > 0 } named ? named : "Dockerfile";
        var quiet = ApiQuery.Bool(context, "q");

        using var staged = StagedBuildContext.FromStdin(engine.Images, LargeRequestBody.Of(context));
        var messages = new JsonMessageStream(context);
        using var log = new JsonStreamWriter(messages);
        messages.Run(() =>
        {
            var built = new BuildService(engine.Paths, engine.Images, engine.Containers, log).Build(new BuildRequest
            {
                ContextDirectory = staged.ContextDirectory,
                DockerfilePath = staged.DockerfilePath ?? InContext(staged.ContextDirectory, dockerfile),
                DockerfileName = dockerfile,
                Tags = references,
                BuildArgs = buildArgs,
                Target = ApiQuery.String(context, "target") is { Length: > 0 } target ? target : null,
                NoCache = ApiQuery.Bool(context, "nocache"),
                Log = quiet ? null : log,
                RunOutput = quiet ? null : log.Output,
                Labels = labels,
                RunWithoutNetwork = network == "none",
            }, settings);
            log.Flush();
            messages.Aux(w => w.WriteString("ID", built.Image.Id.ToString()));
            if (quiet)
            {
                // moby's quiet build sends only the ID, which the CLI prints.
                messages.Stream(built.Image.Id + "\n");
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>The Dockerfile named relative to the context's root; a name leading out of it is refused.</summary>
    private static string InContext(string contextDirectory, string name)
    {
        var path = Path.GetFullPath(Path.Combine(contextDirectory, name.TrimStart('/')));
        return path.StartsWith(contextDirectory + "/", StringComparison.Ordinal)
            ? path
            : throw new BadRequestException($"the Dockerfile ({name}) must be within the build context");
    }

    /// <summary>A query parameter holding a JSON object of strings (buildargs, labels); null values kept as null.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> JsonMap(HttpContext context, string name)
    {
        var text = ApiQuery.String(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return [.. doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString()))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new BadRequestException($"invalid {name}: {e.Message}");
        }
    }
}
