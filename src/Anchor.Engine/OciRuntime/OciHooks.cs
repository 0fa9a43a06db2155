using System.Globalization;
using System.Text.Json;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// The bundle's hooks, run on the host (the runtime's namespaces) with the container's state on
/// stdin (config.md "POSIX-platform Hooks", runtime.md "Lifecycle"): prestart and createRuntime
/// once the container's process exists and before create returns, poststart after start let it
/// run, poststop after delete. A failing prestart/createRuntime/poststart hook fails the operation
/// with runc's words; a failing poststop hook is only logged by runc and ignored here.
/// Deviation: the process has already pivoted into its root when prestart/createRuntime run (the
/// start core pivots before the process exists); hooks act on its namespaces through its pid, as
/// dockerd's libnetwork-setkey does.
/// </summary>
public sealed class OciHooks
{
    private static readonly TimeSpan NoTimeout = TimeSpan.FromDays(1);
    private readonly Dictionary<string, IReadOnlyList<OciHook>> _hooks;

    private OciHooks(Dictionary<string, IReadOnlyList<OciHook>> hooks) => _hooks = hooks;

    public static OciHooks None { get; } = new([]);

    /// <summary>Reads config.json's "hooks"; createContainer and startContainer (run inside the container) are refused.</summary>
    public static OciHooks Parse(JsonElement root)
    {
        var hooks = new Dictionary<string, IReadOnlyList<OciHook>>(StringComparer.Ordinal);
        if (!root.TryGetProperty("hooks", out var all) || all.ValueKind != JsonValueKind.Object)
        {
            return new OciHooks(hooks);
        }

        foreach (var kind in all.EnumerateObject())
        {
            if (kind.Value.ValueKind != JsonValueKind.Array || kind.Value.GetArrayLength() == 0)
            {
                continue;
            }

            if (kind.Name is not ("prestart" or "createRuntime" or "poststart" or "poststop"))
            {
                throw new EngineException($"{kind.Name} hooks are not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
            }

            hooks[kind.Name] = kind.Value.EnumerateArray().Select(h => new OciHook(
                h.GetProperty("path").GetString() ?? "",
                Strings(h, "args"),
                Strings(h, "env"),
                h.TryGetProperty("timeout", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null)).ToList();
        }

        return new OciHooks(hooks);
    }

    /// <summary>Runs the hooks of <paramref name="kind"/> in order; the first failure throws.</summary>
    public void Run(string kind, string id, int pid, string bundle, string status, IReadOnlyDictionary<string, string>? annotations)
    {
        if (!_hooks.TryGetValue(kind, out var list))
        {
            return;
        }

        var state = StateJson(id, pid, bundle, status, annotations);
        for (var i = 0; i < list.Count; i++)
        {
            var hook = list[i];
            var code = RunOne(hook, state);
            if (code != 0)
            {
                throw new EngineException($"error running {kind} hook #{i.ToString(CultureInfo.InvariantCulture)}: {(code < 0 ? "timed out" : "exit status " + code.ToString(CultureInfo.InvariantCulture))}", OciRuntimeRoot.ErrorExit);
            }
        }
    }

    /// <returns>The exit status, 128+N for a signal, -1 after a timeout (the hook is killed).</returns>
    private static int RunOne(OciHook hook, byte[] state)
    {
        var (read, write) = OwnedFd.Pipe();
        int pid;
        using (read)
        {
            pid = HookProcess.Start(hook.Path, hook.Args, hook.Env, read.Fd);
        }

        using (write)
        {
            try
            {
                Sys.WriteAll(write.Fd, state);
            }
            catch (LinuxException)
            {
                // A hook that does not read its state closes the pipe early: not a failure of its own.
            }
        }

        using var watch = new ProcessExitWatch(pid);
        var deadline = DateTime.UtcNow + (hook.Timeout is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : NoTimeout);
        while (ProcessAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                LibC.kill(pid, 9);
                Sys.Reap(pid, block: true);
                return -1;
            }

            watch.Wait(TimeSpan.FromMilliseconds(200));
        }

        var code = Sys.WaitForExitNoReap(pid);
        Sys.Reap(pid, block: true);
        return code ?? 0;
    }

    /// <summary>Whether our child has not exited yet (a zombie counts as exited).</summary>
    private static bool ProcessAlive(int pid) => Containers.ProcessLiveness.IsAlive(pid);

    private static byte[] StateJson(string id, int pid, string bundle, string status, IReadOnlyDictionary<string, string>? annotations)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion", "1.2.0");
            w.WriteString("id", id);
            w.WriteString("status", status);
            w.WriteNumber("pid", pid);
            w.WriteString("bundle", bundle);
            w.WriteStartObject("annotations");
            foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static List<string> Strings(JsonElement hook, string name) =>
        hook.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().Select(v => v.GetString() ?? "").ToList()
            : [];
}
