using Anchor.Engine.Devices;
using Anchor.Engine.Security;
using Anchor.Oci.Image;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Engine.Run;

/// <summary>
/// Turns run options plus the image config into an OCI runtime spec with docker's defaults:
/// namespaces, mounts, capabilities, masked and read-only paths (moby oci/defaults.go).
/// </summary>
public static class SpecFactory
{
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public sealed record Inputs(
        RunOptions Options,
        ContainerConfig? Image,
        IReadOnlyList<string> LayersTopFirst,
        ContainerFiles Files,
        string Hostname,
        SpecUser User,
        string Home,
        string CgroupsPath,
        IReadOnlyList<SpecMount>? ExtraMounts = null,
        string? ShmSource = null);

    public static Spec Create(Inputs inputs)
    {
        var options = inputs.Options;
        var image = inputs.Image ?? new ContainerConfig();
        var args = Arguments(options, image);
        var cwd = options.WorkingDir ?? (string.IsNullOrEmpty(image.WorkingDir) ? "/" : image.WorkingDir);
        if (!cwd.StartsWith('/'))
        {
            throw new EngineException($"the working directory '{cwd}' is invalid, it needs to be an absolute path");
        }

        List<string> baseEnv = [DefaultPath, $"HOSTNAME={inputs.Hostname}"];
        if (options.Tty)
        {
            baseEnv.Add("TERM=xterm");
        }

        var env = EnvironmentList.Merge(baseEnv, image.Env ?? [], options.Env).ToList();
        if (!EnvironmentList.Has(env, "HOME"))
        {
            env.Add($"HOME={inputs.Home}");
        }

        // --privileged: every capability the host has, whatever --cap-add/--cap-drop say (moby
        // oci/caps TweakCapabilities returns GetAllCapabilities before looking at them).
        var capabilities = options.Privileged ? Capabilities.HostBounding() : CapabilitySet.Resolve(options.CapAdd, options.CapDrop);
        var security = SecurityOptions.Parse(options.SecurityOpt);
        List<SpecNamespace> namespaces = [.. NamespaceModes.For(options), .. CgroupNamespace(options)];
        SysctlPolicy.CheckNamespaces(options.Sysctls, namespaces);
        return new Spec
        {
            Process = new SpecProcess
            {
                Terminal = options.Tty,
                User = inputs.User,
                Args = InitProcess.Arguments(options, args),
                Env = env,
                Cwd = cwd,
                Capabilities = new SpecCapabilities
                {
                    Bounding = capabilities,
                    Effective = capabilities,
                    Permitted = capabilities,
                    Inheritable = [],
                    Ambient = [],
                },
                NoNewPrivileges = security.NoNewPrivileges,
                Rlimits = UlimitParser.ToSpec(options.Ulimits),
                OomScoreAdj = options.OomScoreAdj != 0 ? options.OomScoreAdj : null,
            },
            Root = new SpecRoot { Path = inputs.Files.Merged, Readonly = options.ReadOnly },
            Hostname = options.Network == NetworkMode.Host || options.UtsMode == "host" ? null : inputs.Hostname,
            Domainname = string.IsNullOrEmpty(options.Domainname) ? null : options.Domainname,
            Mounts = Mounts(inputs),
            Linux = new SpecLinux
            {
                Namespaces = namespaces,
                Sysctl = options.Sysctls,
                Resources = Resources(options),
                CgroupsPath = inputs.CgroupsPath,
                // --privileged (moby daemon/oci_linux.go) and systempaths=unconfined: nothing masked or read-only.
                MaskedPaths = options.Privileged || options.SystemPathsUnconfined ? [] : MaskedPaths.Default,
                ReadonlyPaths = options.Privileged || options.SystemPathsUnconfined ? [] : MaskedPaths.DefaultReadonly,
                Devices = ContainerDevices.Nodes(options),
                Seccomp = Seccomp(security, capabilities, options.Privileged),
            },
        };
    }

    /// <summary>
    /// docker's default seccomp profile, or the one --security-opt names, resolved for the
    /// container's bounding set; none for seccomp=unconfined (moby daemon/seccomp_linux.go WithSeccomp).
    /// </summary>
    public static SpecSeccomp? Seccomp(SecurityOptions security, IReadOnlyList<string> bounding, bool privileged = false)
    {
        ArgumentNullException.ThrowIfNull(security);
        // --privileged: docker gives a privileged container no filter unless a profile file was named
        // (moby daemon/seccomp_linux.go WithSeccomp).
        if (privileged && !security.HasCustomSeccompProfile)
        {
            return null;
        }

        return SeccompProfiles.For(security, bounding);
    }

    /// <summary>ENTRYPOINT + CMD with docker's override rules: --entrypoint also drops the image's CMD.</summary>
    public static IReadOnlyList<string> Arguments(RunOptions options, ContainerConfig image)
    {
        IReadOnlyList<string> entrypoint = options.Entrypoint switch
        {
            null => image.Entrypoint ?? [],
            "" => [],
            var e => [e],
        };
        var cmd = options.Command.Count > 0 ? options.Command : options.Entrypoint is null ? image.Cmd ?? [] : [];
        var args = entrypoint.Concat(cmd).ToList();
        if (args.Count == 0)
        {
            // moby daemon/container.go, at create (errdefs.InvalidParameter).
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "No command specified");
        }

        return args;
    }

    /// <summary>The namespaces of a container with default --ipc/--pid/--uts modes (<see cref="NamespaceModes.For"/>).</summary>
    public static List<SpecNamespace> Namespaces(NetworkMode network) => NamespaceModes.For(new RunOptions { Image = "", Network = network });

    /// <summary>
    /// docker's default cgroup namespace mode: private on cgroup v2, host on v1 (moby
    /// daemon/config: DefaultCgroupNamespaceMode); --cgroupns overrides it.
    /// </summary>
    public static IReadOnlyList<SpecNamespace> CgroupNamespace(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.CgroupNs ?? (Runtime.Cgroups.CgroupDetector.Detect() == Runtime.Cgroups.CgroupVersion.V2 ? "private" : "host");
        return mode == "private" ? [new SpecNamespace { Type = "cgroup" }] : [];
    }

    /// <summary>The cgroup's settings: the limits given, and always the device allowlist (<see cref="ContainerDevices.Rules"/>).</summary>
    public static SpecResources Resources(RunOptions options)
    {
        return new SpecResources
        {
            Memory = Engine.Resources.ContainerResources.Memory(options),
            Cpu = Engine.Resources.ContainerResources.Cpu(options),
            Pids = options.PidsLimit is { } p ? new SpecPids { Limit = p } : null,
            Devices = ContainerDevices.Rules(options),
            BlockIo = Engine.Resources.ContainerResources.BlockIo(options),
        };
    }

    /// <summary>
    /// The /etc files Anchor writes are bound read-only into a --read-only container, as docker does
    /// (moby container.NetworkMounts: Writable = !ReadonlyRootfs): otherwise they stay writable holes
    /// in a read-only root.
    /// </summary>
    private static List<string> EtcOptions(RunOptions options) => options.ReadOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"];

    /// <summary>
    /// The rootfs: an overlay of the image's layers under the container's upper directory, mounted
    /// inside the container's mount namespace, so it vanishes with it. Needs only the layers and the
    /// container's directories, so it can be mounted before the rest of the spec exists.
    /// </summary>
    /// <param name="discarded">
    /// The upper directory is deleted after the container's only run (--rm, a build step's
    /// container): mounted "volatile" (overlayfs.rst, "Volatile mount", Linux 5.10), so neither the
    /// container's fsync calls nor the unmount sync the host filesystem that holds it. Without it
    /// the last process of the container's mount namespace, its init, runs syncfs(2) on the whole
    /// upper filesystem as it exits (ovl_sync_fs from the unmount) and waits for the disk: 0.3 ms
    /// on an idle host, more with other writers, before `run` sees the exit. A volatile upper is
    /// refused after an unclean shutdown, which only a container that is kept could meet; podman
    /// mounts the upper of its --rm containers the same way.
    /// </param>
    public static SpecMount RootMount(IReadOnlyList<string> layersTopFirst, ContainerFiles files, bool discarded)
    {
        ArgumentNullException.ThrowIfNull(files);
        var lower = string.Join(':', layersTopFirst);
        List<string> options = [$"lowerdir={lower}", $"upperdir={files.Upper}", $"workdir={files.Work}"];
        if (discarded)
        {
            options.Add("volatile");
        }

        return new() { Destination = "/", Type = "overlay", Source = "overlay", Options = options };
    }

    private static List<SpecMount> Mounts(Inputs inputs)
    {
        var files = inputs.Files;
        return
        [
            RootMount(inputs.LayersTopFirst, files, inputs.Options.Remove),
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            // --privileged: /sys writable (moby daemon/oci_linux.go clears its "ro").
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = inputs.Options.Privileged ? ["nosuid", "noexec", "nodev"] : ["nosuid", "noexec", "nodev", "ro"] },
            // The container's own cgroup, read-only (moby oci/defaults.go; the runtime binds its
            // directories); --privileged makes it writable, as docker does.
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = inputs.Options.Privileged ? ["nosuid", "noexec", "nodev", "relatime"] : ["nosuid", "noexec", "nodev", "relatime", "ro"] },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            .. ShmMounts.For(inputs.Options, inputs.ShmSource),
            new() { Destination = "/etc/resolv.conf", Type = "bind", Source = files.ResolvConf, Options = EtcOptions(inputs.Options) },
            new() { Destination = "/etc/hostname", Type = "bind", Source = files.Hostname, Options = EtcOptions(inputs.Options) },
            new() { Destination = "/etc/hosts", Type = "bind", Source = files.Hosts, Options = EtcOptions(inputs.Options) },
            .. inputs.ExtraMounts ?? [],
        ];
    }
}
