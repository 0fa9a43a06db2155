using System.Diagnostics;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// A long-running anchor client (attach, start -a) under test: its stdin stays open for the test
/// to write to, its output is collected as it arrives so the test can wait for a text.
/// </summary>
public sealed class AttachedClient : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;

    public AttachedClient(AnchorFixture anchor, params string[] args)
        : this(anchor.Bin, [.. anchor.StoreArgs, .. args])
    {
    }

    /// <summary>Any program, for a client wrapped in another (script(1) for a terminal).</summary>
    public AttachedClient(string program, params string[] args)
    {
        Args = args;
        _process = ProcessRunner.Start(program, args);
        _readers = Task.WhenAll(Collect(_process.StandardOutput.BaseStream, _stdout), Collect(_process.StandardError.BaseStream, _stderr));
    }

    public IReadOnlyList<string> Args { get; }

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public void Write(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    public void CloseStdin() => _process.StandardInput.Close();

    /// <summary>Waits until stdout contains <paramref name="text"/> (fails after the timeout).</summary>
    public void WaitForOutput(string text, int seconds = 10) =>
        Detached.Eventually(() => Stdout.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(seconds), () => $"{Describe()} never printed {text}");

    /// <summary>Waits for the client to exit and returns its code (fails after the timeout).</summary>
    public int WaitForExit(int seconds = 10)
    {
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(seconds)), $"{Describe()} did not exit within {seconds} s");
        _readers.Wait(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public string Describe() => $"{string.Join(' ', Args)} (stdout: {Stdout}; stderr: {Stderr})";

    private static async Task Collect(Stream stream, StringBuilder into)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            var text = Encoding.UTF8.GetString(buffer, 0, n);
            lock (into)
            {
                into.Append(text);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
