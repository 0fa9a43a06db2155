using System.Diagnostics;
using System.Text;
using Xunit.Sdk;

namespace Anchor.IntegrationTests;

/// <summary>What a finished process left: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout without the trailing newline(s) and carriage returns (a tty writes \r\n).</summary>
    public string Out => Stdout.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n');

    public string Err => Stderr.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n');

    /// <summary>The whole result, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs a program with an argument vector (never through a shell), an optional stdin, and a
/// timeout after which the whole process tree is killed and the test fails.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts <paramref name="file"/> with redirected stdin/stdout/stderr.</summary>
    public static Process Start(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null)
    {
        if (CgroupWatch.Enabled)
        {
            args = args.ToList();
            CgroupWatch.Note(file, args);
        }

        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info) ?? throw new XunitException($"could not start {file}");
    }

    public static ProcessResult Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, IDictionary<string, string?>? env = null) =>
        Run(file, args, stdin is null ? null : Encoding.UTF8.GetBytes(stdin), timeout, env);

    public static ProcessResult Run(string file, IEnumerable<string> args, byte[]? stdin, TimeSpan? timeout = null, IDictionary<string, string?>? env = null)
    {
        var argList = args.ToList();
        using var process = Start(file, argList, env);
        return Collect(process, file, argList, stdin, timeout ?? DefaultTimeout);
    }

    /// <summary>Feeds stdin (then closes it), waits for the exit and both output streams.</summary>
    public static ProcessResult Collect(Process process, string file, IReadOnlyList<string> args, byte[]? stdin, TimeSpan timeout)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var writer = Task.Run(() =>
        {
            try
            {
                if (stdin is not null)
                {
                    process.StandardInput.BaseStream.Write(stdin);
                    process.StandardInput.BaseStream.Flush();
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The process exited or closed its stdin without reading everything: that is its business.
            }
        });

        var deadline = Stopwatch.StartNew();
        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            process.WaitForExit(5000);
            var partialOut = stdout.Wait(2000) ? stdout.Result : "";
            var partialErr = stderr.Wait(2000) ? stderr.Result : "";
            throw new XunitException(
                $"timed out after {timeout.TotalSeconds:0.#} s and killed: {Describe(file, args)}\n--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        // The streams end when every holder of the pipes is gone; a leaked grandchild would hang here.
        var rest = timeout - deadline.Elapsed;
        if (rest < TimeSpan.FromSeconds(5))
        {
            rest = TimeSpan.FromSeconds(5);
        }

        if (!Task.WaitAll([stdout, stderr], rest))
        {
            throw new XunitException($"process exited but its stdout/stderr stayed open (a leaked process?): {Describe(file, args)}");
        }

        writer.Wait(TimeSpan.FromSeconds(5));
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string Describe(string file, IEnumerable<string> args) =>
        string.Join(' ', new[] { file }.Concat(args).Select(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? $"'{a}'" : a));

    /// <summary>Quotes for a POSIX shell (for the few tests that need one, such as script -c).</summary>
    public static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Sends a signal with kill(1).</summary>
    public static void Signal(int pid, string signal)
    {
        var result = Run("kill", ["-s", signal, pid.ToString()]);
        if (result.ExitCode != 0)
        {
            throw new XunitException($"kill -s {signal} {pid} failed: {result}");
        }
    }
}
