namespace Anchor.IntegrationTests;

/// <summary>A store of its own for tests that count what the whole store holds (events, info, df, prune).</summary>
public sealed class PrivateStore : IDisposable
{
    private readonly AnchorFixture _anchor;

    public PrivateStore(AnchorFixture anchor, string name)
    {
        _anchor = anchor;
        Dir = Path.Combine(anchor.TempDir, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Args = ["--root", Path.Combine(Dir, "root"), "--runroot", Path.Combine(Dir, "run")];
        CgroupWatch.Watch(Path.Combine(Dir, "root"));
    }

    public string Dir { get; }

    /// <summary>Now as a Unix timestamp with nanoseconds: an --until that ends at once and includes what just happened ("0s" is rounded down to the second, as docker's client does).</summary>
    public static string Now()
    {
        var ticks = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        return $"{ticks / 10_000_000}.{ticks % 10_000_000 * 100:D9}";
    }

    public IReadOnlyList<string> Args { get; }

    public string EventsDir => Path.Combine(Dir, "root", "events");

    public ProcessResult Run(IEnumerable<string> args, string? stdin = null, IDictionary<string, string?>? env = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(_anchor.Bin, Args.Concat(args), stdin, timeout ?? TimeSpan.FromSeconds(30), env);

    public ProcessResult Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>busybox in this store, from the fixture's tarball.</summary>
    public void ImportBusybox() => Ok("import", _anchor.BusyboxTar, AnchorFixture.Image);

    public void Dispose()
    {
        var ids = Run(["ps", "-aq", "--no-trunc"]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            Run(["rm", "-f", .. ids]);
        }

        // Removed volumes and containers are deleted by this store's detached reaper: let it finish.
        var trash = Path.Combine(Dir, "root", "trash");
        for (var attempt = 0; attempt < 100 && Directory.Exists(trash) && Directory.EnumerateFileSystemEntries(trash).Any(); attempt++)
        {
            Thread.Sleep(100);
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // The trash reaper of this store may be deleting beside us; the fixture's directory goes at the end.
        }
    }
}
