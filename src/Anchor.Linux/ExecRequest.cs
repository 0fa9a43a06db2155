using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Everything the exec tail (Native/anchor_exec.c) needs, in native memory that stays put until
/// disposed: the program, argv and envp, the credentials, the capability sets, the seccomp program,
/// stdio and the flags. Built in C# where every decision is made; the C side only carries it out,
/// either in the calling thread (<see cref="Exec"/>) or in a gated child (<see cref="GatedSpawn"/>).
/// </summary>
public sealed unsafe class ExecRequest : IDisposable
{
    private readonly NativeStrings _strings = new();
    private AnchorNative.ExecArgs* _exec;
    private uint* _groups;
    private void* _filter;
    private ulong* _rlimits;

    public ExecRequest(string path, IReadOnlyList<string> args, IReadOnlyList<string> env)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(env);
        _exec = (AnchorNative.ExecArgs*)NativeMemory.AllocZeroed((nuint)sizeof(AnchorNative.ExecArgs));
        _exec->path = _strings.Add(path);
        _exec->argv = _strings.Array(args);
        _exec->envp = _strings.Array(env);
        _exec->stdin_fd = _exec->stdout_fd = _exec->stderr_fd = -1;
        Args = args;
    }

    /// <summary>The argument list (for messages: docker names argv[0] when exec fails).</summary>
    public IReadOnlyList<string> Args { get; }

    internal AnchorNative.ExecArgs* Native => _exec != null ? _exec : throw new ObjectDisposedException(nameof(ExecRequest));

    /// <summary>AnchorNative.SETSID, CTTY, CGROUPNS, NNP, KEYRING (the CAPS and GROUPS flags are set by the setters).</summary>
    public void AddFlags(uint flags) => Native->flags |= flags;

    /// <summary>The ids to switch to; <paramref name="groups"/> null leaves the supplementary groups alone.</summary>
    public void SetUser(uint uid, uint gid, IReadOnlyList<uint>? groups)
    {
        var exec = Native;
        exec->uid = uid;
        exec->gid = gid;
        if (groups is null)
        {
            return;
        }

        NativeMemory.Free(_groups);
        _groups = (uint*)NativeMemory.Alloc((nuint)Math.Max(groups.Count, 1), sizeof(uint));
        for (var i = 0; i < groups.Count; i++)
        {
            _groups[i] = groups[i];
        }

        exec->groups = _groups;
        exec->ngroups = groups.Count;
        exec->flags |= AnchorNative.GROUPS;
    }

    /// <summary>The five capability sets as masks (bit n = capability n) and the kernel's last capability.</summary>
    public void SetCapabilities(ulong bounding, ulong effective, ulong permitted, ulong inheritable, ulong ambient, int lastCap)
    {
        var exec = Native;
        exec->bounding = bounding;
        exec->effective = effective;
        exec->permitted = permitted;
        exec->inheritable = inheritable;
        exec->ambient = ambient;
        exec->last_cap = lastCap;
        exec->flags |= AnchorNative.CAPS;
    }

    /// <summary>A seccomp BPF program (struct sock_filter[], 8 bytes each), copied; installed by the tail.</summary>
    public void SetSeccomp(ReadOnlySpan<byte> program, uint filterFlags)
    {
        if (program.Length == 0 || program.Length % 8 != 0 || program.Length / 8 > ushort.MaxValue)
        {
            throw new ArgumentException($"not a seccomp program: {program.Length} bytes", nameof(program));
        }

        var exec = Native;
        NativeMemory.Free(_filter);
        _filter = NativeMemory.Alloc((nuint)program.Length);
        program.CopyTo(new Span<byte>(_filter, program.Length));
        exec->filter = _filter;
        exec->filter_len = (uint)(program.Length / 8);
        exec->filter_flags = filterFlags;
    }

    /// <summary>setrlimit(2) before the credentials change: (resource, soft, hard) with ulong.MaxValue for unlimited.</summary>
    public void SetRlimits(IReadOnlyList<(int Resource, ulong Soft, ulong Hard)> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var exec = Native;
        NativeMemory.Free(_rlimits);
        _rlimits = (ulong*)NativeMemory.Alloc((nuint)Math.Max(limits.Count * 3, 1), sizeof(ulong));
        for (var i = 0; i < limits.Count; i++)
        {
            _rlimits[3 * i] = (ulong)limits[i].Resource;
            _rlimits[(3 * i) + 1] = limits[i].Soft;
            _rlimits[(3 * i) + 2] = limits[i].Hard;
        }

        exec->rlimits = _rlimits;
        exec->nrlimits = limits.Count;
    }

    /// <summary>The value to write to /proc/self/oom_score_adj before the credentials change.</summary>
    public void SetOomScoreAdj(int value)
    {
        var exec = Native;
        exec->oom_score_adj = value;
        exec->flags |= AnchorNative.OOM;
    }

    /// <summary>Descriptors to put on 0, 1 and 2 (-1 keeps what is there); any other than n must be above 2.</summary>
    public void SetStdio(int stdin, int stdout, int stderr)
    {
        foreach (var (fd, target) in new[] { (stdin, 0), (stdout, 1), (stderr, 2) })
        {
            if (fd >= 0 && fd != target && fd < 3)
            {
                throw new ArgumentException($"descriptor {fd} for {target} would be overwritten by the stdio setup");
            }
        }

        var exec = Native;
        exec->stdin_fd = stdin;
        exec->stdout_fd = stdout;
        exec->stderr_fd = stderr;
    }

    /// <summary>Runs the exec tail in the calling thread: returns only when it failed.</summary>
    public ExecFailure Exec()
    {
        _ = AnchorNative.anchor_exec(Native);
        return Failure ?? new ExecFailure(ExecStep.Execve, LibC.EINVAL);
    }

    /// <summary>
    /// The steps the tail would take, in order, without taking any (the C side records instead of
    /// calling): the test seam for the order of the setup sequence's last part.
    /// </summary>
    public IReadOnlyList<ExecStep> Trace()
    {
        const int capacity = 256;
        var buffer = stackalloc int[capacity];
        var exec = Native;
        exec->trace = buffer;
        exec->trace_capacity = capacity;
        exec->trace_count = 0;
        try
        {
            _ = AnchorNative.anchor_exec(exec);
            var steps = new ExecStep[Math.Min(exec->trace_count, capacity)];
            for (var i = 0; i < steps.Length; i++)
            {
                steps[i] = (ExecStep)buffer[i];
            }

            return steps;
        }
        finally
        {
            exec->trace = null;
            exec->trace_capacity = exec->trace_count = 0;
        }
    }

    /// <summary>What the last run of the tail failed with, or null.</summary>
    public ExecFailure? Failure => Native->step == 0 ? null : new ExecFailure((ExecStep)Native->step, Native->error, Native->detail);

    public void Dispose()
    {
        if (_exec == null)
        {
            return;
        }

        NativeMemory.Free(_exec);
        NativeMemory.Free(_groups);
        NativeMemory.Free(_filter);
        NativeMemory.Free(_rlimits);
        _rlimits = null;
        _exec = null;
        _groups = null;
        _filter = null;
        _strings.Dispose();
    }
}
