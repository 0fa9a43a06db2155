using System.Text.Json;
using Anchor.Oci;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// A bundle as an OCI runtime gets it (runtime-spec bundle.md): config.json and the rootfs it names,
/// relative to the bundle. The spec is given back with an absolute root and the cgroup path the
/// runtime uses, the form Anchor's start core takes. What that core cannot do is refused here with
/// a clear error rather than silently left out.
/// </summary>
public sealed record OciBundle(string Directory, Spec Spec, string CgroupPath, OciHooks Hooks)
{
    public static OciBundle Load(string directory, string id)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var bundle = Path.GetFullPath(directory.Length == 0 ? "." : directory);
        var configPath = Path.Combine(bundle, Runtime.Bundle.ConfigFile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(configPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // runc's loadSpec, which reads it relative to the bundle it changed into.
            throw new EngineException($"JSON specification file {Runtime.Bundle.ConfigFile} not found", OciRuntimeRoot.ErrorExit);
        }

        Spec spec;
        OciHooks hooks;
        try
        {
            Refuse(bytes);
            using (var document = JsonDocument.Parse(bytes))
            {
                hooks = OciHooks.Parse(document.RootElement);
            }

            spec = JsonSerializer.Deserialize(bytes, OciJsonContext.Default.Spec) ?? throw new EngineException("config cannot be null", OciRuntimeRoot.ErrorExit);
        }
        catch (JsonException e)
        {
            throw new EngineException($"{configPath}: {e.Message}", OciRuntimeRoot.ErrorExit);
        }

        if (spec.Process.Args.Count == 0)
        {
            throw new EngineException("args must not be empty", OciRuntimeRoot.ErrorExit);
        }

        if (spec.Process.Cwd is { } cwd && !cwd.StartsWith('/'))
        {
            throw new EngineException("Cwd must be an absolute path", OciRuntimeRoot.ErrorExit);
        }

        var rootfs = Path.GetFullPath(Path.Combine(bundle, spec.Root.Path));
        if (!System.IO.Directory.Exists(rootfs))
        {
            throw new EngineException($"rootfs ({rootfs}) does not exist", OciRuntimeRoot.ErrorExit);
        }

        var cgroupPath = OciCgroupPath.Resolve(spec.Linux.CgroupsPath, id);
        return new OciBundle(bundle, Complete(spec) with
        {
            Root = spec.Root with { Path = rootfs },
            Linux = Complete(spec.Linux) with { CgroupsPath = "/" + cgroupPath },
        }, cgroupPath, hooks);
    }

    /// <summary>
    /// Lists a hand-written config.json leaves out are empty, never null: the generated
    /// deserializer sets every init-only property, absent ones to null (Anchor's own specs always
    /// write them).
    /// </summary>
    private static Spec Complete(Spec spec) => spec with
    {
        Mounts = (spec.Mounts ?? []).Select(m => m with { Options = m.Options ?? [] }).ToList(),
        Process = Complete(spec.Process),
    };

    /// <summary>A process (config.json's, or exec's --process file) with its absent lists empty.</summary>
    public static SpecProcess Complete(SpecProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return process with
        {
            Args = process.Args ?? [],
            Env = process.Env ?? [],
            User = process.User ?? new(),
            Cwd = process.Cwd ?? "/",
            Capabilities = process.Capabilities is { } caps
                ? caps with { Bounding = caps.Bounding ?? [], Effective = caps.Effective ?? [], Permitted = caps.Permitted ?? [], Inheritable = caps.Inheritable ?? [], Ambient = caps.Ambient ?? [] }
                : null,
        };
    }

    private static SpecLinux Complete(SpecLinux linux) => linux with
    {
        Namespaces = linux.Namespaces ?? [],
        MaskedPaths = linux.MaskedPaths ?? [],
        ReadonlyPaths = linux.ReadonlyPaths ?? [],
        Devices = linux.Devices ?? [],
    };

    /// <summary>The parts of the runtime spec the start core does not carry out yet: refused, named.</summary>
    private static void Refuse(byte[] config)
    {
        using var document = JsonDocument.Parse(config);
        var root = document.RootElement;
        if (root.TryGetProperty("process", out var process) && process.ValueKind == JsonValueKind.Object)
        {
            if (process.TryGetProperty("selinuxLabel", out var label) && label.ValueKind == JsonValueKind.String && label.GetString()!.Length > 0)
            {
                throw new EngineException("selinux label is specified in config, but selinux is disabled or not supported", OciRuntimeRoot.ErrorExit);
            }

            if (process.TryGetProperty("apparmorProfile", out var profile) && profile.ValueKind == JsonValueKind.String && profile.GetString()!.Length > 0)
            {
                throw new EngineException($"apparmor profile {profile.GetString()} specified but AppArmor is not supported on this system", OciRuntimeRoot.ErrorExit);
            }
        }

        if (root.TryGetProperty("linux", out var linux) && linux.ValueKind == JsonValueKind.Object
            && linux.TryGetProperty("namespaces", out var namespaces) && namespaces.ValueKind == JsonValueKind.Array)
        {
            foreach (var ns in namespaces.EnumerateArray())
            {
                var type = ns.TryGetProperty("type", out var t) ? t.GetString() : null;
                var joined = ns.TryGetProperty("path", out var p) && p.GetString() is { Length: > 0 };
                if (type is "user" or "time")
                {
                    throw new EngineException($"{type} namespaces are not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
                }

                if (joined && type is "mount" or "cgroup")
                {
                    throw new EngineException($"joining a {type} namespace by path is not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
                }
            }
        }
    }
}
