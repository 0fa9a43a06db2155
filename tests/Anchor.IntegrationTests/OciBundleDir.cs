using System.Text.Json.Nodes;

namespace Anchor.IntegrationTests;

/// <summary>
/// An OCI bundle for the runtime tests: `anchor oci spec`'s config.json, edited, and the busybox
/// rootfs extracted from ANCHOR_BUSYBOX_TAR into rootfs/; plus a private runtime --root.
/// </summary>
public sealed class OciBundleDir : IDisposable
{
    public OciBundleDir(AnchorFixture anchor, bool terminal, params string[] args)
    {
        Anchor = anchor;
        Directory = Path.Combine(anchor.TempDir, "oci-" + Guid.NewGuid().ToString("N")[..10]);
        StateRoot = Path.Combine(Directory, "state");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "rootfs"));
        var untar = ProcessRunner.Run("tar", ["-xf", anchor.BusyboxTar, "-C", Path.Combine(Directory, "rootfs")]);
        Assert.True(untar.ExitCode == 0, untar.ToString());
        var spec = Runtime("spec", "--bundle", Directory);
        Assert.True(spec.ExitCode == 0, spec.ToString());
        var config = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        config["process"]!["terminal"] = terminal;
        var argsNode = new JsonArray();
        foreach (var arg in args)
        {
            argsNode.Add(JsonValue.Create(arg));
        }

        config["process"]!["args"] = argsNode;
        // A writable root: the busybox shell's commands write nothing, but the tests' own do.
        config["root"]!["readonly"] = false;
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    public AnchorFixture Anchor { get; }

    public string Directory { get; }

    public string StateRoot { get; }

    public string ConfigPath => Path.Combine(Directory, "config.json");

    /// <summary>`anchor oci --root STATE ARGS…`.</summary>
    public ProcessResult Runtime(params string[] args) =>
        ProcessRunner.Run(Anchor.Bin, ["oci", "--root", StateRoot, .. args], timeout: TimeSpan.FromSeconds(60));

    /// <summary>
    /// create (or run --detach) with its stdio on files, as containerd's shim hands it pipes or
    /// fds: the container's process keeps them, so a caller reading the command's output to its end
    /// would wait until the container exits (runc's too).
    /// </summary>
    public ProcessResult WithFiles(params string[] args)
    {
        var words = string.Join(' ', new[] { Anchor.Bin, "oci", "--root", StateRoot }.Concat(args).Select(ProcessRunner.ShellQuote));
        var result = ProcessRunner.Run("sh", ["-c", $"exec {words} </dev/null >{ProcessRunner.ShellQuote(OutPath)} 2>{ProcessRunner.ShellQuote(ErrPath)}"], timeout: TimeSpan.FromSeconds(60));
        return result with { Stderr = File.Exists(ErrPath) ? File.ReadAllText(ErrPath) : "" };
    }

    public ProcessResult CreateWithFiles(string id) => WithFiles("create", "--bundle", Directory, id);

    public string OutPath => Path.Combine(Directory, "create.out");

    public string ErrPath => Path.Combine(Directory, "create.err");

    public JsonNode State(string id)
    {
        var state = Runtime("state", id);
        Assert.True(state.ExitCode == 0, state.ToString());
        return JsonNode.Parse(state.Stdout)!;
    }

    /// <summary>Polls `state` until it reports <paramref name="status"/> (the reaper is the host's init).</summary>
    public JsonNode WaitForStatus(string id, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var state = State(id);
            if ((string?)state["status"] == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, (string?)state["status"]);
                return state;
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(StateRoot))
        {
            foreach (var container in System.IO.Directory.EnumerateDirectories(StateRoot))
            {
                Runtime("delete", "--force", Path.GetFileName(container));
            }
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
