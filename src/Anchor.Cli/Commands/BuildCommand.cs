using System.CommandLine;
using Anchor.Build;
using Anchor.Engine;
using Anchor.Engine.Build;
using Anchor.Engine.Run;
using Anchor.Oci.Reference;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor build [-t NAME[:TAG]]… [-f Dockerfile] [--build-arg K[=V]]… [--label K=V]… [--iidfile FILE] [--target STAGE] [--no-cache] [-q] CONTEXT</c>
/// with the classic builder's step log; <c>-q</c> prints only the image ID. PATH <c>-</c> reads a
/// context archive or a Dockerfile alone from stdin, <c>-f -</c> the Dockerfile.
/// </summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var tags = new Option<string[]>("--tag", "-t") { Description = "Name and optionally a tag in the 'name:tag' format" };
        var file = new Option<string?>("--file", "-f") { Description = "Name of the Dockerfile (Default is 'PATH/Dockerfile')" };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "Set build-time variables" };
        var target = new Option<string?>("--target") { Description = "Set the target build stage to build" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not use cache when building the image" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the build output and print image ID on success" };
        var labels = new Option<string[]>("--label") { Description = "Set metadata for an image" };
        var iidFile = new Option<string?>("--iidfile") { Description = "Write the image ID to the file" };
        var addHosts = new Option<string[]>("--add-host") { Description = "Add a custom host-to-IP mapping (host:ip)" };
        var shmSize = new Option<string?>("--shm-size") { Description = "Size of /dev/shm" };
        var ulimits = new Option<string[]>("--ulimit") { Description = "Ulimit options" };
        var network = new Option<string>("--network") { Description = "Set the networking mode for the RUN instructions during build", DefaultValueFactory = _ => "default" };
        var secrets = new Option<string[]>("--secret") { Description = "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\" or \"id=mysecret,env=VAR\")" };
        var buildContexts = new Option<string[]>("--build-context") { Description = "Additional build contexts (e.g., name=path or name=docker-image://ref)" };
        var cacheFrom = new Option<string[]>("--cache-from") { Description = "Images to consider as cache sources" };
        var pull = new Option<bool>("--pull") { Description = "Always attempt to pull a newer version of the image" };
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable (the host's only)" };
        var context = new Argument<string>("PATH");
        var command = new Command("build", "Build an image from a Dockerfile") { tags, file, buildArgs, target, noCache, quiet, labels, iidFile, network, addHosts, shmSize, ulimits, secrets, buildContexts, cacheFrom, pull, platform, context };
        command.SetAction(result =>
        {
            var contextArg = result.GetValue(context)!;
            // docker/cli image/build.go: the client's checks; a missing path is quoted as it was
            // given, a file named by its absolute path (build.ResolveAndValidateContextPath).
            if (contextArg != "-" && !Path.Exists(contextArg))
            {
                throw new EngineException($"unable to prepare context: path {Output.Templates.GoQuote.Quote(contextArg)} not found", 1);
            }

            if (contextArg != "-" && !Directory.Exists(Path.GetFullPath(contextArg)))
            {
                throw new EngineException($"unable to prepare context: context must be a directory: {Path.GetFullPath(contextArg)}", 1);
            }

            BuildPlatformFlag.Check(result.GetValue(platform), Images.Registry.PlatformSelector.Default.Architecture);
            var namedContexts = BuildContextFlag.ParseAll(result.GetValue(buildContexts) ?? []);
            var (secretFiles, secretValues) = BuildSecretFlag.ParseAll(result.GetValue(secrets) ?? []);
            var dockerfile = result.GetValue(file);
            if (contextArg == "-" && dockerfile == "-")
            {
                throw new EngineException("invalid argument: can't use stdin for both build context and dockerfile");
            }

            // `-` (a context archive or a Dockerfile alone) or `-f -` (the Dockerfile): staged from stdin.
            using var staged = contextArg == "-"
                ? StagedBuildContext.FromStdin(CliEngine.Of(result).Images, Console.OpenStandardInput())
                : dockerfile == "-" ? StagedBuildContext.DockerfileFromStdin(CliEngine.Of(result).Images, Console.OpenStandardInput(), Path.GetFullPath(contextArg)) : null;
            var contextDir = staged?.ContextDirectory ?? Path.GetFullPath(contextArg);
            var dockerfilePath = staged?.DockerfilePath
                ?? (dockerfile is null ? Path.Combine(contextDir, "Dockerfile")
                    : contextArg == "-" ? Path.Combine(contextDir, dockerfile) : Path.GetFullPath(dockerfile));
            var args = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var arg in result.GetValue(buildArgs) ?? [])
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                args[eq < 0 ? arg : arg[..eq]] = eq < 0 ? null : arg[(eq + 1)..];
            }

            var references = new List<ImageReference>();
            foreach (var tag in result.GetValue(tags) ?? [])
            {
                if (!ImageReference.TryParse(tag, out var reference, out var error))
                {
                    throw new EngineException($"invalid argument \"{tag}\" for \"-t, --tag\" flag: {error}");
                }

                references.Add(reference.Tag is null && reference.Digest is null ? reference.WithTag(ImageReference.DefaultTag) : reference);
            }

            // RUN steps run on the host's network by default (Anchor's build has no bridge yet), as with "host".
            var networkMode = result.GetValue(network);
            if (networkMode is not ("default" or "host" or "none"))
            {
                throw new EngineException($"--network {networkMode}: anchor build runs RUN steps with the default (host), host or none network only", 125);
            }

            // RUN steps' containers, with run's parsers and meanings.
            var runSettings = new BuildRunSettings
            {
                ExtraHosts = [.. (result.GetValue(addHosts) ?? []).Select(Engine.Networks.ExtraHosts.Validate)],
                ShmSize = RunNamespaceFlags.ParseShmSize(result.GetValue(shmSize)),
                Ulimits = UlimitParser.ParseAll(result.GetValue(ulimits) ?? []),
            };
            var isQuiet = result.GetValue(quiet);
            var iidPath = result.GetValue(iidFile);
            if (iidPath is not null)
            {
                // Checked before the build, written after it (docker removes a stale one first: no old ID survives a failed build).
                Engine.Output.OutputPath.ValidateFile(iidPath);
                File.Delete(iidPath);
            }

            var imageLabels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in result.GetValue(labels) ?? [])
            {
                // docker's ConvertKVStringsToMap: "K" alone is an empty value.
                var eq = label.IndexOf('=', StringComparison.Ordinal);
                imageLabels[eq < 0 ? label : label[..eq]] = eq < 0 ? "" : label[(eq + 1)..];
            }

            var built = CliEngine.Of(result).Builds.Build(new BuildRequest
            {
                ContextDirectory = contextDir,
                DockerfilePath = dockerfilePath,
                DockerfileName = dockerfile is null or "-" ? "Dockerfile" : dockerfile,
                Tags = references,
                BuildArgs = args,
                Target = result.GetValue(target),
                NoCache = result.GetValue(noCache),
                Log = isQuiet ? null : Console.Out,
                Labels = imageLabels,
                RunWithoutNetwork = networkMode == "none",
                Secrets = secretFiles,
                SecretValues = secretValues,
                NamedContexts = namedContexts,
                CacheFrom = result.GetValue(cacheFrom) ?? [],
                Pull = result.GetValue(pull),
                SourceDateEpoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"),
            }, runSettings);
            if (iidPath is not null)
            {
                Linux.AtomicFile.WriteAllBytes(iidPath, System.Text.Encoding.ASCII.GetBytes(built.Image.Id.ToString()));
            }

            if (isQuiet)
            {
                Console.WriteLine(built.Image.Id);
            }

            return 0;
        });
        return command;
    }
}
