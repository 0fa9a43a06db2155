using System.Diagnostics;

namespace Anchor.Network.Tests;

/// <summary>A throwaway network namespace held by `unshare --net sleep`, addressed by the sleeper's PID.</summary>
public sealed class NetnsProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    public NetnsProcess()
    {
        _process = Process.Start(new ProcessStartInfo("unshare", ["--net", "sleep", "120"]) { UseShellExecute = false })!;
        // unshare execs sleep: the namespace exists once /proc/PID/ns/net differs from ours.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Inode($"/proc/{Pid}/ns/net") == Inode("/proc/self/ns/net") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }
    }

    public int Pid => _process.Id;

    /// <summary>Runs a command inside the namespace (nsenter), returning its stdout.</summary>
    public string Run(params string[] command)
    {
        var psi = new ProcessStartInfo("nsenter", ["-t", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", .. command])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    public Process Start(params string[] command) =>
        Process.Start(new ProcessStartInfo("nsenter", ["-t", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", .. command])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        })!;

    private static string Inode(string path) => new FileInfo(path).LinkTarget ?? "";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
