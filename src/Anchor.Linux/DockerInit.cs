namespace Anchor.Linux;

/// <summary>
/// The static docker-init program (NativeInit/docker_init.c, built with the project and embedded in
/// this assembly, so the one anchor binary carries it): the PID 1 of <c>run --init</c> containers.
/// </summary>
public static class DockerInit
{
    /// <summary>Where docker puts its init in a container (moby daemon/oci_linux.go inContainerInitPath).</summary>
    public const string ContainerPath = "/sbin/docker-init";

    private const string ResourceName = "docker-init";

    /// <summary>Writes the program to <paramref name="path"/> (0755, atomically: a reader never sees half of it).</summary>
    public static void Install(string path, bool durable)
    {
        using var stream = typeof(DockerInit).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("this anchor binary was built without docker-init");
        var program = new byte[stream.Length];
        stream.ReadExactly(program);
        AtomicFile.WriteAllBytes(path, program, durable, FileModes.Executable);
    }
}
