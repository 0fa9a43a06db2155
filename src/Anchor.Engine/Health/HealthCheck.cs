using System.Text;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Health;

/// <summary>
/// Runs one probe the way <c>anchor exec</c> runs a process (<see cref="ContainerLauncher.Join"/>:
/// the container's namespaces, cgroup, seccomp program, capabilities, user, environment and working
/// directory), with stdout and stderr on pipes read together into one 4 KiB buffer, as docker's
/// cmdProbe does. A probe still running at its timeout is killed and recorded with exit code -1 and
/// docker's "Health check exceeded timeout (D)".
/// </summary>
public static unsafe class HealthCheck
{
    public static HealthLogEntry Run(Runtime.Cgroups.ICgroupManager cgroup, int containerPid, Spec spec, HealthProbe probe, LaunchContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(probe);
        var start = DateTimeOffset.UtcNow;
        var process = spec.Process with { Args = probe.Command, Terminal = false };
        try
        {
            using var pending = ContainerLauncher.Join(process, containerPid, spec, context, new LaunchStdio(StdioKind.Pipes), cgroup);
            using var started = pending.Release(cgroup);
            if (started.Failed)
            {
                started.WaitForExit();
                return new HealthLogEntry { Start = start, End = DateTimeOffset.UtcNow, ExitCode = started.InitErrorCode, Output = started.InitError ?? "" };
            }

            var output = new MemoryStream();
            if (!Collect(started, start + probe.Timeout, output))
            {
                LibC.kill(started.Pid, 9);
                started.WaitForExit();
                return new HealthLogEntry
                {
                    Start = start,
                    End = DateTimeOffset.UtcNow,
                    ExitCode = -1,
                    Output = $"Health check exceeded timeout ({DurationText(probe.Timeout)})",
                };
            }

            var code = started.WaitForExit();
            return new HealthLogEntry { Start = start, End = DateTimeOffset.UtcNow, ExitCode = code, Output = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length) };
        }
        catch (Exception e) when (e is LinuxException or EngineException or IOException or InvalidOperationException)
        {
            // The container went away under the probe, or the join failed: a failed probe, as docker records an exec error.
            return new HealthLogEntry { Start = start, End = DateTimeOffset.UtcNow, ExitCode = -1, Output = ErrorText.Of(e) };
        }
    }

    /// <summary>Go's time.Duration String for the whole and fractional seconds docker's flags take: 30s, 1m30s, 1.5s, 500ms.</summary>
    public static string DurationText(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1))
        {
            return d.TotalMilliseconds >= 1 ? $"{d.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}ms" : $"{d.Ticks * 100}ns";
        }

        var hours = (long)d.TotalHours;
        var text = new StringBuilder();
        if (hours > 0)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || d.Minutes > 0)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{d.Minutes}m");
        }

        var seconds = d.Seconds + (d.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        text.Append(seconds.ToString("0.#########", System.Globalization.CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    /// <summary>
    /// Reads both pipes until the process has exited (its pidfd polls readable) and what it wrote is
    /// drained, keeping the first <see cref="HealthStateMachine.MaxOutputBytes"/> bytes. False when
    /// the deadline came first.
    /// </summary>
    private static bool Collect(StartedContainer started, DateTimeOffset deadline, MemoryStream output)
    {
        var pipes = started.Pipes ?? throw new InvalidOperationException("a probe without pipes");
        var pidfd = LibC.pidfd_open(started.Pid);
        try
        {
            var fds = stackalloc LibC.Pollfd[3];
            fds[0] = new LibC.Pollfd { fd = pipes.Stdout.Fd, events = LibC.POLLIN };
            fds[1] = new LibC.Pollfd { fd = pipes.Stderr.Fd, events = LibC.POLLIN };
            fds[2] = new LibC.Pollfd { fd = pidfd, events = LibC.POLLIN };
            var buffer = stackalloc byte[4096];
            var exited = false;
            while (true)
            {
                var open = fds[0].fd >= 0 || fds[1].fd >= 0;
                if (exited && !open)
                {
                    return true;
                }

                var remaining = deadline - DateTimeOffset.UtcNow;
                if (remaining <= TimeSpan.Zero && !exited)
                {
                    return false;
                }

                // Once exited, only what is already in the pipes is read: a descendant that keeps
                // them open must not hold the probe until its timeout.
                var wait = exited ? 0 : (int)Math.Ceiling(remaining.TotalMilliseconds);
                var ready = LibC.poll(fds, 3, wait);
                if (ready < 0 && Sys.LastErrno == LibC.EINTR)
                {
                    continue;
                }

                if (ready == 0 && exited)
                {
                    return true;
                }

                for (var i = 0; i < 2; i++)
                {
                    if (fds[i].fd >= 0 && (fds[i].revents & (LibC.POLLIN | LibC.POLLHUP | LibC.POLLERR)) != 0)
                    {
                        var n = LibC.read(fds[i].fd, buffer, 4096);
                        if (n <= 0)
                        {
                            fds[i].fd = -1;
                        }
                        else if (output.Length < HealthStateMachine.MaxOutputBytes)
                        {
                            output.Write(new ReadOnlySpan<byte>(buffer, (int)Math.Min(n, HealthStateMachine.MaxOutputBytes - output.Length)));
                        }
                    }
                }

                if (fds[2].fd >= 0 && (fds[2].revents & LibC.POLLIN) != 0)
                {
                    exited = true;
                    fds[2].fd = -1;
                }
                else if (pidfd < 0 && !open)
                {
                    exited = true; // no pidfd: end of both pipes is the best sign of the end
                }
            }
        }
        finally
        {
            if (pidfd >= 0)
            {
                LibC.close(pidfd);
            }
        }
    }
}
