using Anchor.Linux;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// <c>--init</c> as docker does it (moby daemon/oci_linux.go): the process becomes
/// <c>/sbin/docker-init -- COMMAND…</c> and the init is bind-mounted read-only at that path. The
/// program is the static docker-init the anchor binary carries (<see cref="DockerInit"/>), copied
/// into the container's own directory: no image file is written, and a container that could
/// remount it writable (--privileged) changes only its own copy, never another container's init.
/// </summary>
public static class InitProcess
{
    private const string FileName = "docker-init";

    /// <summary>The spec's arguments: the command behind docker-init when --init is set.</summary>
    public static IReadOnlyList<string> Arguments(RunOptions options, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Init == true ? [DockerInit.ContainerPath, "--", .. command] : command;
    }

    /// <summary>docker's Path and Args, the user's command: the spec's arguments without docker-init.</summary>
    public static IReadOnlyList<string> UserCommand(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 2 && args[0] == DockerInit.ContainerPath && args[1] == "--" ? [.. args.Skip(2)] : args;
    }

    /// <summary>Writes the container's copy of docker-init and returns its read-only bind mount.</summary>
    public static SpecMount Install(string containerDirectory, bool durable)
    {
        var source = Path.Combine(containerDirectory, FileName);
        DockerInit.Install(source, durable);
        return new SpecMount { Destination = DockerInit.ContainerPath, Type = "bind", Source = source, Options = ["rbind", "rprivate", "ro"] };
    }
}
