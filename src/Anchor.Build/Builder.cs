using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Anchor.Build.Cache;
using Anchor.Build.Context;
using Anchor.Build.Dockerfile;
using Anchor.Build.Layers;
using Anchor.Build.Mounts;
using Anchor.Images;
using Anchor.Images.Cache;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Build;

/// <summary>
/// The stage executor, docker's classic builder: every instruction is a step whose result is an
/// image config (a new layer for RUN, COPY and ADD, an empty_layer history entry otherwise),
/// stored as a blob and remembered in the <see cref="CacheIndex"/> under its <see cref="CacheKey"/>.
/// Intermediate configs are not images (they are not tagged nor listed); only the final image is
/// committed to the <see cref="ImageStore"/>. RUN goes through <see cref="IBuildHost"/>.
/// </summary>
public sealed class Builder(ImageStore store, IBuildHost host)
{
    /// <summary>Build args docker accepts without an ARG (Dockerfile reference, "Predefined ARGs").</summary>
    private static readonly HashSet<string> Predefined =
    [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ];

    private readonly CacheIndex _cache = store.BuildCache;
    private readonly ExecLimits _limits = ExecLimits.Current();
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    private BuildRequest _request = null!;
    private TextWriter? _log;
    private int _step;
    private int _total;
    private DateTimeOffset? _epoch;
    private readonly Dictionary<string, ContextTree> _namedTrees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredImage> _pulled = new(StringComparer.Ordinal);
    private List<ImageConfig> _cacheSources = [];

    public BuildResult Build(BuildRequest request)
    {
        try
        {
            return BuildCore(request);
        }
        finally
        {
            foreach (var tree in _namedTrees.Values)
            {
                tree.Dispose();
            }
        }
    }

    private BuildResult BuildCore(BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        _cacheSources = CacheSources(request.CacheFrom);
        _log = request.Log;
        _epoch = SourceDateEpoch(request);
        if (!Directory.Exists(request.ContextDirectory))
        {
            throw new BuildException($"unable to prepare context: path \"{request.ContextDirectory}\" not found");
        }

        string text;
        try
        {
            text = File.ReadAllText(request.DockerfilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BuildException($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {request.DockerfilePath}: no such file or directory");
        }

        var document = DockerfileParser.Parse(text, request.DockerfileName);
        using var lease = store.BeginWrite();
        using var context = new ContextTree(request.ContextDirectory, DockerIgnore.Load(request.ContextDirectory));
        var last = document.Stages.Count - 1;
        if (request.Target is { } target)
        {
            last = FindStageIndex(document, target.ToLowerInvariant(), document.Stages.Count)
                ?? throw new BuildException($"failed to reach build target {target} in Dockerfile");
        }

        document = WithBuildLabels(document, last, request.Labels);
        _total = document.MetaArgs.Count + document.Stages.Take(last + 1).Sum(s => 1 + s.Commands.Count);
        var meta = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var arg in document.MetaArgs)
        {
            StepHeader(arg);
            var lex = new ShellLex(n => meta.TryGetValue(n, out var v) ? v : null, document.Escape);
            foreach (var (name, value) in arg.Pairs)
            {
                meta[name] = ArgValue(name, value, lex, fallback: null);
            }
        }

        var stages = new List<StageState>();
        for (var i = 0; i <= last; i++)
        {
            var stage = document.Stages[i];
            StepHeader(stage.From);
            var metaLex = new ShellLex(n => meta.TryGetValue(n, out var v) ? v : null, document.Escape);
            var state = Start(metaLex.ProcessWord(stage.BaseName), stage, document, stages);
            foreach (var trigger in state.Config.OnBuild ?? [])
            {
                _log?.WriteLine($"# Executing build trigger: {trigger}");
                Execute(DockerfileParser.ParseTrigger(trigger, stage.From.Line, request.DockerfileName), state, document, stages, context, meta);
            }

            if (state.Config.OnBuild is not null)
            {
                state.Image = state.Image with { Config = state.Config with { OnBuild = null } };
            }

            foreach (var instruction in stage.Commands)
            {
                StepHeader(instruction);
                Execute(instruction, state, document, stages, context, meta);
                state.Steps++;
            }

            stages.Add(state);
        }

        var final = stages[last];
        StoredImage image;
        if (final.Steps == 0 && final.ParentId != "scratch" && store.Find(final.ParentId) is { } unchanged)
        {
            // FROM alone: the result is the base image itself, as docker gives it.
            foreach (var tag in request.Tags)
            {
                store.Tag(unchanged, tag);
            }

            image = store.Get(unchanged.Id);
        }
        else
        {
            if (final.ParentId == "scratch")
            {
                throw new BuildException("No image was generated. Is your Dockerfile empty?");
            }

            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = default, Size = 0 },
                Layers = final.Layers,
            };
            image = store.Commit(manifest, Clamped(final.Image), request.Tags);
        }

        var unused = request.BuildArgs.Keys.Where(k => !_consumed.Contains(k) && !Predefined.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
        {
            _log?.WriteLine($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed");
        }

        _log?.WriteLine($"Successfully built {image.Id.Short}");
        foreach (var tag in request.Tags)
        {
            _log?.WriteLine($"Successfully tagged {tag.FamiliarName}");
        }

        return new BuildResult(image, unused);
    }

    /// <summary>
    /// SOURCE_DATE_EPOCH, from <c>--build-arg</c> or anchor's environment (BuildKit reads both):
    /// seconds since the epoch that every time the build writes is clamped to.
    /// </summary>
    private DateTimeOffset? SourceDateEpoch(BuildRequest request)
    {
        const string name = "SOURCE_DATE_EPOCH";
        var text = request.BuildArgs.TryGetValue(name, out var given) ? given ?? request.SourceDateEpoch : request.SourceDateEpoch;
        if (request.BuildArgs.ContainsKey(name))
        {
            _consumed.Add(name); // A build setting, not an unused build arg.
        }

        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new BuildException($"invalid SOURCE_DATE_EPOCH: {text}");
    }

    /// <summary>A step's key under SOURCE_DATE_EPOCH: its layers' times differ, so it is another step.</summary>
    private string EpochKey(string key) => _epoch is { } epoch ? $"{key}-epoch{epoch.ToUnixTimeSeconds()}" : key;

    /// <summary>Now, or SOURCE_DATE_EPOCH when that is earlier.</summary>
    private DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return _epoch is { } epoch && now > epoch ? epoch : now;
    }

    /// <summary>The image with its and its history's times clamped to SOURCE_DATE_EPOCH, the base image's entries included.</summary>
    private ImageConfig Clamped(ImageConfig image) =>
        _epoch is not { } epoch ? image : image with
        {
            Created = image.Created is { } created && created > epoch ? epoch : image.Created,
            History = image.History?.Select(h => h.Created is { } t && t > epoch ? h with { Created = epoch } : h).ToList(),
        };

    private static int? FindStageIndex(DockerfileDocument document, string nameOrIndex, int before)
    {
        for (var i = 0; i < before; i++)
        {
            if (document.Stages[i].Name == nameOrIndex)
            {
                return i;
            }
        }

        return int.TryParse(nameOrIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < before ? index : null;
    }

    private void StepHeader(Instruction instruction)
    {
        _step++;
        _log?.WriteLine($"Step {_step}/{_total} : {instruction.Original}");
    }

    private string? ArgValue(string name, string? declaredDefault, ShellLex lex, string? fallback)
    {
        if (_request.BuildArgs.TryGetValue(name, out var given))
        {
            _consumed.Add(name);
            return given ?? Environment.GetEnvironmentVariable(name) ?? (declaredDefault is null ? fallback : lex.ProcessWord(declaredDefault));
        }

        return declaredDefault is null ? fallback : lex.ProcessWord(declaredDefault);
    }

    private StageState Start(string baseName, Stage stage, DockerfileDocument document, List<StageState> built)
    {
        if (baseName.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            return new StageState
            {
                Image = new ImageConfig { Architecture = Architecture(), Os = "linux", Config = new ContainerConfig(), History = [] },
                ParentId = "scratch",
                Layers = [],
                Name = stage.Name,
            };
        }

        if (FindStageIndex(document, baseName.ToLowerInvariant(), stage.Index) is { } index && index < built.Count)
        {
            var source = built[index];
            _log?.WriteLine($" ---> {Short(source.ParentId)}");
            return new StageState { Image = source.Image, ParentId = source.ParentId, Layers = [.. source.Layers], Name = stage.Name };
        }

        if (NamedContext(baseName) is { } named && !named.StartsWith(DockerImageScheme, StringComparison.Ordinal))
        {
            throw new BuildException($"{_request.DockerfileName}:{stage.From.Line}: FROM {baseName}: the build context of that name is a directory; anchor build takes a FROM base from an image (docker-image://REF) only");
        }

        var image = BaseImage(baseName);
        _log?.WriteLine($" ---> {image.Id.Short}");
        return new StageState { Image = image.Config, ParentId = image.Id.ToString(), Layers = [.. image.Manifest.Layers], Name = stage.Name };
    }

    private void Execute(Instruction instruction, StageState state, DockerfileDocument document, List<StageState> built, ContextTree context, Dictionary<string, string?> meta)
    {
        var lex = new ShellLex(state.Lookup, document.Escape);
        var config = state.Config;
        switch (instruction.Keyword)
        {
            case "ENV":
            {
                var pairs = instruction.Pairs.Select(p => (Key: lex.ProcessWord(p.Key), Value: lex.ProcessWord(p.Value ?? ""))).ToList();
                var env = (config.Env ?? []).ToList();
                foreach (var (key, value) in pairs)
                {
                    env.RemoveAll(e => e.StartsWith(key + "=", StringComparison.Ordinal));
                    env.Add($"{key}={value}");
                }

                CheckExec(instruction, config with { Env = env });
                Metadata(state, "ENV " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")), config with { Env = env });
                break;
            }

            case "LABEL":
            {
                var pairs = instruction.Pairs.Select(p => (Key: lex.ProcessWord(p.Key), Value: lex.ProcessWord(p.Value ?? ""))).ToList();
                var labels = config.Labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(config.Labels, StringComparer.Ordinal);
                foreach (var (key, value) in pairs)
                {
                    labels[key] = value;
                }

                Metadata(state, "LABEL " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")), config with { Labels = labels });
                break;
            }

            case "ARG":
                foreach (var (name, value) in instruction.Pairs)
                {
                    if (!state.Args.ContainsKey(name))
                    {
                        state.ArgOrder.Add(name);
                    }

                    state.Args[name] = ArgValue(name, value, lex, meta.TryGetValue(name, out var outer) ? outer : null);
                }

                // The value is not in the key: like docker, only the RUN steps that see it change.
                Metadata(state, instruction.Original, config);
                break;
            case "MAINTAINER":
                state.Image = state.Image with { Author = instruction.Arguments };
                Metadata(state, instruction.Original, config);
                break;
            case "WORKDIR":
            {
                var dir = lex.ProcessWord(instruction.Arguments);
                var joined = dir.StartsWith('/') ? dir : (string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir).TrimEnd('/') + "/" + dir;
                var clean = "/" + IgnorePattern.CleanPath(joined);
                clean = clean == "/." ? "/" : clean;
                Metadata(state, "WORKDIR " + clean, config with { WorkingDir = clean });
                break;
            }

            case "USER":
            {
                var user = lex.ProcessWord(instruction.Arguments);
                Metadata(state, "USER " + user, config with { User = user });
                break;
            }

            case "STOPSIGNAL":
            {
                var signal = lex.ProcessWord(instruction.Arguments);
                Metadata(state, "STOPSIGNAL " + signal, config with { StopSignal = signal });
                break;
            }

            case "EXPOSE":
            {
                var ports = config.ExposedPorts is null ? new Dictionary<string, EmptyObject>(StringComparer.Ordinal) : new Dictionary<string, EmptyObject>(config.ExposedPorts, StringComparer.Ordinal);
                var added = lex.ProcessWords(instruction.Arguments).SelectMany(Ports).ToList();
                foreach (var port in added)
                {
                    ports[port] = new EmptyObject();
                }

                Metadata(state, "EXPOSE " + string.Join(' ', added), config with { ExposedPorts = ports });
                break;
            }

            case "VOLUME":
            {
                var volumes = config.Volumes is null ? new Dictionary<string, EmptyObject>(StringComparer.Ordinal) : new Dictionary<string, EmptyObject>(config.Volumes, StringComparer.Ordinal);
                var added = instruction.Json?.Select(lex.ProcessWord).ToList() ?? [.. lex.ProcessWords(instruction.Arguments)];
                if (added.Any(v => v.Trim().Length == 0))
                {
                    throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: VOLUME specified can not be an empty string");
                }

                foreach (var volume in added)
                {
                    volumes[volume] = new EmptyObject();
                }

                Metadata(state, "VOLUME " + JsonArray(added), config with { Volumes = volumes });
                break;
            }

            case "CMD":
            {
                var cmd = CommandOf(instruction, config);
                CheckExec(instruction, config with { Cmd = cmd });
                state.CmdSet = true;
                Metadata(state, "CMD " + JsonArray(cmd), config with { Cmd = cmd });
                break;
            }

            case "ENTRYPOINT":
            {
                var entrypoint = CommandOf(instruction, config);
                CheckExec(instruction, config with { Entrypoint = entrypoint, Cmd = state.CmdSet ? config.Cmd : null });
                // docker: an ENTRYPOINT resets the CMD inherited from the base image.
                Metadata(state, "ENTRYPOINT " + JsonArray(entrypoint), config with { Entrypoint = entrypoint, Cmd = state.CmdSet ? config.Cmd : null });
                break;
            }

            case "SHELL":
                Metadata(state, "SHELL " + JsonArray(instruction.Json!), config with { Shell = instruction.Json });
                break;
            case "HEALTHCHECK":
            {
                var health = HealthcheckInstruction.Parse(instruction, $"{_request.DockerfileName}:{instruction.Line}: ");
                Metadata(state, "HEALTHCHECK " + JsonArray(health.Test ?? []), config with { Healthcheck = health });
                break;
            }

            case "ONBUILD":
            {
                var trigger = instruction.Arguments.Trim();
                var space = trigger.IndexOfAny([' ', '\t']);
                trigger = space < 0 ? trigger.ToUpperInvariant() : trigger[..space].ToUpperInvariant() + trigger[space..];
                // A trigger's here-documents follow it, each closed by its delimiter (BuildKit parseOnBuild).
                trigger += string.Concat(instruction.Heredocs.Select(h => "\n" + h.Content + h.Name));
                Metadata(state, "ONBUILD " + trigger, config with { OnBuild = [.. config.OnBuild ?? [], trigger] });
                break;
            }

            case "RUN":
                Run(instruction, state, lex, document, built);
                break;
            case "COPY" or "ADD":
                Copy(instruction, state, lex, document, built, context);
                break;
            default:
                throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: unknown instruction: {instruction.Keyword}");
        }
    }

    private static IEnumerable<string> Ports(string word)
    {
        var slash = word.IndexOf('/', StringComparison.Ordinal);
        var proto = slash < 0 ? "tcp" : word[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? word : word[..slash];
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && int.TryParse(range[..dash], CultureInfo.InvariantCulture, out var from) && int.TryParse(range[(dash + 1)..], CultureInfo.InvariantCulture, out var to) && to >= from)
        {
            return Enumerable.Range(from, to - from + 1).Select(p => $"{p}/{proto}");
        }

        return int.TryParse(range, CultureInfo.InvariantCulture, out _) ? [$"{range}/{proto}"] : throw new BuildException($"invalid containerPort: {range}");
    }

    private static IReadOnlyList<string> CommandOf(Instruction instruction, ContainerConfig config) =>
        instruction.Json ?? [.. config.Shell ?? ["/bin/sh", "-c"], ShellText(instruction)];

    /// <summary>
    /// A shell-form RUN's script. With here-documents (BuildKit dockerfile2llb dispatchRun): a RUN
    /// that is one here-document alone runs its body as the script; otherwise the line and the
    /// bodies, each closed by its delimiter, are handed to the shell, which reads them as sh(1)
    /// here-documents (the command's stdin, <c>&lt;&lt;-</c> and quoting are the shell's).
    /// </summary>
    private static string ShellText(Instruction instruction)
    {
        if (instruction.Heredocs.Count == 0)
        {
            return instruction.Arguments;
        }

        if (instruction.Heredocs.Count == 1 && HeredocSyntax.Parse(instruction.Arguments.Trim()) is not null)
        {
            return instruction.Heredocs[0].Text;
        }

        return instruction.Arguments + string.Concat(instruction.Heredocs.Select(h => "\n" + h.Content + h.Name));
    }

    /// <summary>
    /// Refuses a step after which a container could not exec (E2BIG): the image's ENTRYPOINT + CMD,
    /// or <paramref name="argv"/>, with its environment plus <paramref name="moreEnv"/> (a RUN's build args).
    /// </summary>
    private void CheckExec(Instruction instruction, ContainerConfig config, IReadOnlyList<string>? argv = null, IEnumerable<string>? moreEnv = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in (config.Env ?? []).Concat(moreEnv ?? []))
        {
            var eq = variable.IndexOf('=', StringComparison.Ordinal);
            env[eq < 0 ? variable : variable[..eq]] = variable;
        }

        argv ??= [.. config.Entrypoint ?? [], .. config.Cmd ?? []];
        if (_limits.Check(argv, [.. env.Values]) is { } problem)
        {
            throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: {instruction.Keyword}: {problem}");
        }
    }

    /// <summary>A step that only changes the config: an empty_layer history entry, classic's "#(nop)" created_by.</summary>
    private void Metadata(StageState state, string text, ContainerConfig config)
    {
        var key = CacheKey.Compute(state.ParentId, text);
        if (FromCache(state, key) || FromSources(state, key, "/bin/sh -c #(nop)  " + text, config))
        {
            return;
        }

        var now = Now();
        var image = state.Image with
        {
            Created = now,
            Config = config,
            History = [.. state.Image.History ?? [], new History { Created = now, CreatedBy = "/bin/sh -c #(nop)  " + text, EmptyLayer = true }],
        };
        Finish(state, key, image, layer: null);
    }

    private void Run(Instruction instruction, StageState state, ShellLex lex, DockerfileDocument document, List<StageState> built)
    {
        var config = state.Config;
        var script = HeredocScript(instruction);
        var command = script is null ? CommandOf(instruction, config) : [.. config.Shell ?? ["/bin/sh", "-c"], HeredocScriptPath + script.Name];
        var args = state.ArgEnvironment();
        CheckExec(instruction, config, command, args);
        var (mounts, noNetwork) = RunFlags(instruction, lex);
        var createdBy = (args.Count > 0 ? $"|{args.Count} {string.Join(' ', args)} " : "") + string.Join(' ', command);
        // The mounts and network as written are part of the key; a cache's or a secret's contents are not (BuildKit).
        var flags = string.Concat(instruction.AllFlags.Where(f => f.Key is "mount" or "network").Select(f => $"--{f.Key}={f.Value} "));
        var key = CacheKey.Compute(state.ParentId, "RUN " + flags + JsonArray(command) + (script is null ? "" : "\n" + script.Text), args);
        if (FromCache(state, key) || FromSources(state, key, createdBy, config: null))
        {
            return;
        }

        var chainIds = state.ChainIds;
        var layers = chainIds.Reverse().Select(store.Snapshots.FsPath).ToList();
        using var mountSet = RunMountSet.Prepare(mounts, store, _request.ContextDirectory, from => FromLayers(from, document, built, instruction), _request.Secrets, _request.SecretValues, new LayerTree(layers));
        if (script is not null)
        {
            mountSet.AddScript(store, script.Name, script.Text, HeredocScriptPath + script.Name);
        }

        // docker: the image's ENV wins over a build arg of the same name.
        var argEnv = args.Where(a => state.Lookup(a[..a.IndexOf('=', StringComparison.Ordinal)]) == a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..]).ToList();
        var tar = store.NewTempFile("layer");
        string? containerId = null;
        try
        {
            var code = host.Run(
                new RunStepRequest(config, layers, command, argEnv, Quiet: _log is null, Output: _log is null ? null : _request.RunOutput, NoNetwork: noNetwork)
                {
                    Mounts = mountSet.Mounts,
                },
                id =>
                {
                    containerId = id;
                    _log?.WriteLine($" ---> Running in {id[..12]}");
                    _log?.Flush(); // before the step's own output, which may reach the same place another way
                },
                upper =>
                {
                    mountSet.RemoveStubs(upper);
                    using var writer = new LayerTarWriter(tar, _epoch);
                    UpperDirLayer.Write(upper, writer);
                });
            if (code != 0)
            {
                throw new BuildException($"The command '{string.Join(' ', command)}' returned a non-zero code: {code}", code);
            }

            if (containerId is not null)
            {
                _log?.WriteLine($"Removing intermediate container {containerId[..12]}");
            }

            var (layer, snapshot) = LayerCommitter.Commit(store, tar, chainIds.Count == 0 ? null : chainIds[^1]);
            var now = Now();
            var image = state.Image with
            {
                Created = now,
                RootFs = new RootFs { DiffIds = [.. state.Image.RootFs.DiffIds, snapshot.DiffId] },
                History = [.. state.Image.History ?? [], new History { Created = now, CreatedBy = createdBy }],
            };
            Finish(state, key, image, layer);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    /// <summary>Where a RUN that is a here-document with a <c>#!</c> line finds it (BuildKit mounts it there and runs it).</summary>
    private const string HeredocScriptPath = "/dev/pipes/";

    /// <summary>The here-document of a RUN that is one alone whose body starts with <c>#!</c>: it is run as a file, by its interpreter.</summary>
    private static Heredoc? HeredocScript(Instruction instruction) =>
        instruction is { IsJson: false, Heredocs: [var only] } && only.Text.StartsWith("#!", StringComparison.Ordinal) && HeredocSyntax.Parse(instruction.Arguments.Trim()) is not null
            ? only : null;

    /// <summary>RUN's <c>--mount</c>s and whether <c>--network</c> (none, host, default: the build's) cuts the step off.</summary>
    private (List<RunMount> Mounts, bool NoNetwork) RunFlags(Instruction instruction, ShellLex lex)
    {
        try
        {
            var mounts = instruction.AllFlags.Where(f => f.Key == "mount").Select(f => RunMountParser.Parse(f.Value, lex)).ToList();
            var noNetwork = instruction.Flag("network") switch
            {
                null or "default" => _request.RunWithoutNetwork,
                "none" => true,
                "host" => false,
                var other => throw new BuildException($"unsupported network mode \"{other}\" (none, host or default)"),
            };
            if (instruction.Flag("security") is { } security && security != "sandbox")
            {
                throw new BuildException($"--security={security} is not supported by anchor build");
            }

            return (mounts, noNetwork);
        }
        catch (BuildException e)
        {
            throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: {e.Message}");
        }
    }

    /// <summary>The layers, top first, of the stage or image a <c>--mount=from=</c> names.</summary>
    private List<string> FromLayers(string from, DockerfileDocument document, List<StageState> built, Instruction instruction)
    {
        if (FindStageIndex(document, from.ToLowerInvariant(), built.Count) is null && NamedContext(from) is { } named && !named.StartsWith(DockerImageScheme, StringComparison.Ordinal))
        {
            return [named];
        }

        IReadOnlyList<Digest> chain = FindStageIndex(document, from.ToLowerInvariant(), built.Count) is { } index
            ? built[index].ChainIds
            : BaseImage(from).ChainIds;
        return [.. chain.Reverse().Select(store.Snapshots.FsPath)];
    }

    private const string DockerImageScheme = "docker-image://";

    /// <summary>The <c>--build-context</c> value of a name (a directory or docker-image://REF), null when there is none.</summary>
    private string? NamedContext(string name) => _request.NamedContexts.TryGetValue(name, out var value) ? value : null;

    /// <summary>A named context that is a directory, as COPY reads it (its own .dockerignore applies, as BuildKit's); null for none or an image.</summary>
    private ContextTree? NamedTree(string name)
    {
        if (NamedContext(name) is not { } dir || dir.StartsWith(DockerImageScheme, StringComparison.Ordinal))
        {
            return null;
        }

        if (!_namedTrees.TryGetValue(name, out var tree))
        {
            tree = new ContextTree(dir, DockerIgnore.Load(dir));
            _namedTrees[name] = tree;
        }

        return tree;
    }

    /// <summary>
    /// The image a FROM, COPY --from or mount from names (a named context's docker-image:// first):
    /// the local one, else pulled, as the classic builder does; with <c>--pull</c> pulled again
    /// (once per build and reference).
    /// </summary>
    private StoredImage BaseImage(string name)
    {
        var reference = NamedContext(name) is { } named && named.StartsWith(DockerImageScheme, StringComparison.Ordinal) ? named[DockerImageScheme.Length..] : name;
        if (_pulled.TryGetValue(reference, out var pulled))
        {
            return pulled;
        }

        if (!_request.Pull && store.Find(reference) is { } local)
        {
            return local;
        }

        var image = host.Pull(reference, _log);
        _pulled[reference] = image;
        return image;
    }

    /// <summary><c>--cache-from</c>'s images that exist here (moby skips one it cannot find), their configs.</summary>
    private List<ImageConfig> CacheSources(IReadOnlyList<string> names)
    {
        var sources = new List<ImageConfig>();
        foreach (var name in names)
        {
            if (store.Find(name) is { } image)
            {
                sources.Add(image.Config);
            }
            else
            {
                _log?.WriteLine($"[Warning] --cache-from {name}: no such image here, not used");
            }
        }

        return sources;
    }

    /// <summary>
    /// The classic builder's cache from <c>--cache-from</c> images (moby image/cache: the parent's
    /// history and layers must be a prefix of the source's, and the source's next history entry must
    /// be this step's): the step is that entry, with its time and its layer, which is already here.
    /// </summary>
    private bool FromSources(StageState state, string key, string createdBy, ContainerConfig? config)
    {
        if (_request.NoCache)
        {
            return false;
        }

        var history = state.Image.History ?? [];
        var diffIds = state.Image.RootFs.DiffIds;
        foreach (var source in _cacheSources)
        {
            var theirs = source.History ?? [];
            if (theirs.Count <= history.Count || source.RootFs.DiffIds.Count < diffIds.Count
                || !diffIds.SequenceEqual(source.RootFs.DiffIds.Take(diffIds.Count))
                || Enumerable.Range(0, history.Count).Any(i => theirs[i].CreatedBy != history[i].CreatedBy || theirs[i].EmptyLayer != history[i].EmptyLayer))
            {
                continue;
            }

            var next = theirs[history.Count];
            var isLayer = config is null;
            if (next.CreatedBy != createdBy || next.EmptyLayer == isLayer || (isLayer && source.RootFs.DiffIds.Count == diffIds.Count))
            {
                continue;
            }

            Descriptor? layer = null;
            var image = state.Image with { Created = next.Created, History = [.. history, next] };
            if (isLayer)
            {
                var diffId = source.RootFs.DiffIds[diffIds.Count];
                if (!store.Content.Exists(diffId) || !store.Snapshots.Exists(ChainId.Compute([.. diffIds, diffId])[^1]))
                {
                    continue;
                }

                layer = new Descriptor { MediaType = MediaTypes.OciLayer, Digest = diffId, Size = store.Content.Size(diffId) };
                image = image with { RootFs = new RootFs { DiffIds = [.. diffIds, diffId] } };
            }
            else
            {
                image = image with { Config = config };
            }

            _log?.WriteLine(" ---> Using cache");
            Finish(state, key, image, layer);
            return true;
        }

        return false;
    }

    private void Copy(Instruction instruction, StageState state, ShellLex lex, DockerfileDocument document, List<StageState> built, ContextTree context)
    {
        var isAdd = instruction.Keyword == "ADD";
        ISourceTree source = context;
        var fromName = instruction.Flag("from");
        if (fromName is not null)
        {
            var from = lex.ProcessWord(fromName);
            source = FindStageIndex(document, from.ToLowerInvariant(), built.Count) is { } index
                ? new LayerTree([.. built[index].ChainIds.Reverse().Select(store.Snapshots.FsPath)])
                : (ISourceTree?)NamedTree(from) ?? new LayerTree([.. BaseImage(from).ChainIds.Reverse().Select(store.Snapshots.FsPath)]);
        }

        var chainIds = state.ChainIds;
        var imageTree = new LayerTree([.. chainIds.Reverse().Select(store.Snapshots.FsPath)]);
        (uint Uid, uint Gid)? owner = instruction.Flag("chown") is { } chown
            ? host.ResolveOwner(lex.ProcessWord(chown), [.. chainIds.Reverse().Select(store.Snapshots.FsPath)])
            : null;
        uint? mode = instruction.Flag("chmod") is { } chmod ? ParseMode(chmod, instruction) : null;
        IReadOnlyList<string>? words = null;
        if (instruction.Heredocs.Count > 0)
        {
            (source, words) = HeredocSources(instruction, state, lex);
        }

        var downloads = new List<string>();
        try
        {
            var remote = false;
            if (isAdd && fromName is null && words is null)
            {
                var all = instruction.Json?.Select(lex.ProcessWord).ToList() ?? [.. lex.ProcessWords(instruction.Arguments)];
                if (all.Count >= 2 && all[..^1].Any(RemoteDownload.IsUrl))
                {
                    (source, words) = Download(instruction, all, downloads);
                    remote = true;
                }
            }

            var excludes = instruction.AllFlags.Where(f => f.Key == "exclude").Select(f => lex.ProcessWord(f.Value)).ToList();
            var plan = CopyPlanner.Plan(instruction, lex, state.Config.WorkingDir, source, imageTree, isAdd && fromName is null && words is null, fromName is not null, words,
                excludes.Count == 0 ? null : new DockerIgnore(excludes), parents: instruction.Flags.ContainsKey("parents") && instruction.Flag("parents") != "false");
            if (isAdd && instruction.Flag("checksum") is { } checksum)
            {
                VerifyChecksum(instruction, plan, lex.ProcessWord(checksum), remote);
            }

            CopyLayer(instruction, state, plan, fromName, owner, mode, imageTree);
        }
        finally
        {
            foreach (var file in downloads)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// ADD's URL sources, downloaded into the store's temporary files (listed in <paramref name="downloads"/>
    /// for the caller to delete): the tree of them and the words naming them, the destination last.
    /// </summary>
    private (ISourceTree Source, IReadOnlyList<string> Words) Download(Instruction instruction, List<string> words, List<string> downloads)
    {
        if (!words[..^1].All(RemoteDownload.IsUrl))
        {
            throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: ADD: anchor build takes either URLs or local sources in one ADD, not both");
        }

        var tree = new RemoteTree();
        var names = new List<string>();
        foreach (var url in words[..^1])
        {
            var path = store.NewTempFile("download");
            downloads.Add(path);
            _log?.WriteLine($"Downloading {url}");
            var file = RemoteDownload.Fetch(url, path);
            tree.Add(file);
            names.Add(file.Name);
        }

        return (tree, [.. names, words[^1]]);
    }

    private void CopyLayer(Instruction instruction, StageState state, CopyPlanner.CopyPlan plan, string? fromName, (uint Uid, uint Gid)? owner, uint? mode, LayerTree imageTree)
    {
        var chainIds = state.ChainIds;
        var text = $"{instruction.Keyword} --from={fromName} --chown={owner?.Uid}:{owner?.Gid} --chmod={mode} {plan.Destination}";
        var key = CacheKey.Compute(state.ParentId, text, contentDigest: plan.Digest);
        var createdBy = $"/bin/sh -c #(nop) {instruction.Keyword} {plan.Kind}:{plan.Digest[..64]} in {plan.Destination} ";
        if (FromCache(state, key) || FromSources(state, key, createdBy, config: null))
        {
            return;
        }

        var tar = store.NewTempFile("layer");
        try
        {
            using (var writer = new LayerTarWriter(tar, _epoch))
            {
                CopyPlanner.Write(plan, writer, imageTree, owner, mode);
            }

            var (layer, snapshot) = LayerCommitter.Commit(store, tar, chainIds.Count == 0 ? null : chainIds[^1]);
            var now = Now();
            var image = state.Image with
            {
                Created = now,
                RootFs = new RootFs { DiffIds = [.. state.Image.RootFs.DiffIds, snapshot.DiffId] },
                History = [.. state.Image.History ?? [], new History { Created = now, CreatedBy = createdBy }],
            };
            Finish(state, key, image, layer);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    /// <summary>
    /// <c>COPY &lt;&lt;NAME … DEST</c>: the files the here-documents make, their contents expanded
    /// unless the delimiter was quoted (BuildKit SourcesAndDest.ExpandRaw: variables only, quotes kept).
    /// </summary>
    private (ISourceTree Source, IReadOnlyList<string> Words) HeredocSources(Instruction instruction, StageState state, ShellLex lex)
    {
        var words = DockerfileParser.QuotedWords(instruction.Arguments);
        var sources = words[..^1];
        if (sources.Any(w => HeredocSyntax.Parse(w) is null) || instruction.Flag("from") is not null)
        {
            throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: {instruction.Keyword}: here-documents cannot be mixed with other sources in anchor build");
        }

        if (HeredocSyntax.Parse(words[^1]) is not null)
        {
            throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: {instruction.Keyword} cannot accept a heredoc as a destination");
        }

        var raw = new ShellLex(state.Lookup);
        var files = instruction.Heredocs.Select(h => (h.Name, h.Expand ? raw.ProcessContent(h.Text) : h.Text)).ToList();
        return (new HeredocTree(files, Now()), [.. instruction.Heredocs.Select(h => h.Name), lex.ProcessWord(words[^1])]);
    }

    /// <summary>
    /// <c>ADD --checksum=sha256:HEX</c> (Dockerfile 1.6): the one URL added must have that digest,
    /// checked before anything is written. BuildKit refuses it for a local source (dockerfile2llb
    /// dispatchCopy), and so does anchor.
    /// </summary>
    private void VerifyChecksum(Instruction instruction, CopyPlanner.CopyPlan plan, string checksum, bool remote)
    {
        var where = $"{_request.DockerfileName}:{instruction.Line}: ";
        if (!remote)
        {
            throw new BuildException($"{where}checksum can't be specified for non-HTTP(S) sources");
        }

        if (plan.Items.Count > 1)
        {
            throw new BuildException($"{where}checksum can't be specified for multiple sources");
        }

        if (!Digest.TryParse(checksum, out var expected) || expected.Algorithm != "sha256")
        {
            throw new BuildException($"{where}invalid checksum digest format: {checksum} (sha256:HEX)");
        }

        var only = plan.Items[0];

        using var data = plan.Source.OpenRead(only.Source);
        var actual = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
        if (actual != expected.ToString())
        {
            throw new BuildException($"{where}digest mismatch {expected}: {actual}");
        }
    }

    private uint ParseMode(string text, Instruction instruction)
    {
        try
        {
            var mode = Convert.ToUInt32(text, 8);
            return mode <= 0xFFF ? mode : throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new BuildException($"{_request.DockerfileName}:{instruction.Line}: invalid chmod parameter: {text}");
        }
    }

    /// <summary>Reuses the image a step with the same key produced before, if it and its layers still exist.</summary>
    private bool FromCache(StageState state, string key)
    {
        if (_request.NoCache || _cache.Find(EpochKey(key)) is not { } cached || !Digest.TryParse(cached, out var id) || !store.Content.Exists(id))
        {
            return false;
        }

        ImageConfig? image;
        try
        {
            image = ImageConfigReader.Read(store.Content.ReadAll(id));
        }
        catch (JsonException)
        {
            return false;
        }

        if (image is null || ChainId.Compute(image.RootFs.DiffIds).Any(c => !store.Snapshots.Exists(c)))
        {
            return false;
        }

        var added = image.RootFs.DiffIds.Skip(state.Image.RootFs.DiffIds.Count).ToList();
        if (added.Any(d => !store.Content.Exists(d)))
        {
            return false;
        }

        _log?.WriteLine(" ---> Using cache");
        state.Image = image;
        state.ParentId = id.ToString();
        state.Layers.AddRange(added.Select(d => new Descriptor { MediaType = MediaTypes.OciLayer, Digest = d, Size = store.Content.Size(d) }));
        _log?.WriteLine($" ---> {id.Short}");
        return true;
    }

    private void Finish(StageState state, string key, ImageConfig image, Descriptor? layer)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(image, OciJsonContext.Default.ImageConfig);
        var id = store.Content.WriteBytes(json);
        _cache.Put(EpochKey(key), id.ToString());
        state.Image = image;
        state.ParentId = id.ToString();
        if (layer is not null)
        {
            state.Layers.Add(layer);
        }

        _log?.WriteLine($" ---> {id.Short}");
    }

    private static string JsonArray(IEnumerable<string> items) =>
        "[" + string.Join(',', items.Select(i => JsonSerializer.Serialize(i, BuildJsonContext.Default.String))) + "]";

    private static string Short(string id) => Digest.TryParse(id, out var d) ? d.Short : id;

    /// <summary>GOARCH names, as image configs spell them (config.md "architecture").</summary>
    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => "amd64",
    };

    /// <summary>
    /// `build --label K=V`: one LABEL step per label, sorted by key, appended to the built stage and
    /// never expanded, as docker's classic builder adds them (builder.go buildLabelOptions).
    /// </summary>
    private static DockerfileDocument WithBuildLabels(DockerfileDocument document, int last, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0)
        {
            return document;
        }

        var stage = document.Stages[last];
        var added = labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new Instruction
        {
            Keyword = "LABEL",
            Arguments = $"{l.Key}={l.Value}",
            Pairs = [new(Literal(l.Key, document.Escape), Literal(l.Value, document.Escape))],
            Line = stage.From.Line,
            Original = $"LABEL {l.Key}={l.Value}",
        });
        var stages = document.Stages.ToList();
        stages[last] = stage with { Commands = [.. stage.Commands, .. added] };
        return document with { Stages = stages };
    }

    /// <summary>A word the expansion leaves as it is: single-quoted, a quote inside closed, escaped and reopened.</summary>
    private static string Literal(string value, char escape) => "'" + value.Replace("'", "'" + escape + "''", StringComparison.Ordinal) + "'";
}
