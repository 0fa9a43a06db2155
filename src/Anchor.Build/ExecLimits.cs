using System.Text;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Build;

/// <summary>
/// What execve(2) accepts ("Limits on size of arguments and environment"): no single argument or
/// environment string longer than MAX_ARG_STRLEN (32 pages, its NUL included), and all strings
/// plus one pointer per string within a quarter of the stack rlimit, capped at 3/4 of _STK_LIM and
/// never below ARG_MAX (fs/exec.c, bprm_stack_limits). An image whose CMD or ENV exceeds them
/// builds but no container of it can start (E2BIG), so the builder refuses it up front.
/// </summary>
public sealed class ExecLimits
{
    /// <summary>MAX_ARG_STRLEN: 32 pages of 4 KiB, the terminating NUL included.</summary>
    public const int MaxArgStrlen = 32 * 4096;

    /// <summary>ARG_MAX: what the kernel allows whatever the stack limit (32 pages).</summary>
    public const long ArgMax = 32 * 4096;

    /// <summary>_STK_LIM, the default 8 MiB stack; at most 3/4 of it goes to arguments.</summary>
    private const long StkLim = 8L << 20;

    /// <summary>
    /// Room for what the runtime adds at start: the program's path, which the kernel copies too
    /// (up to PATH_MAX), and the PATH, HOSTNAME, HOME and TERM variables a container may get.
    /// </summary>
    private const long RuntimeReserve = 4096 + 256;

    private const int RuntimeVariables = 4;

    private ExecLimits(long total) => Total = total;

    /// <summary>Bytes the strings and their pointers may take in all.</summary>
    public long Total { get; }

    /// <summary>The limits for a stack rlimit (bytes; <see cref="LibC.RLIM_INFINITY"/> for none).</summary>
    public static ExecLimits ForStackLimit(ulong stackLimit) =>
        new(Math.Max(Math.Min(StkLim / 4 * 3, (long)Math.Min(stackLimit / 4, (ulong)long.MaxValue)), ArgMax));

    /// <summary>
    /// The limits under this process's stack rlimit, which the containers it starts inherit (no
    /// rlimit is set in their spec).
    /// </summary>
    public static unsafe ExecLimits Current()
    {
        LibC.Rlimit limit;
        Sys.Check(LibC.getrlimit(LibC.RLIMIT_STACK, &limit), "getrlimit");
        return ForStackLimit(limit.rlim_cur);
    }

    /// <summary>Null when a container can exec with <paramref name="argv"/> and <paramref name="env"/>, else why not.</summary>
    public string? Check(IReadOnlyList<string> argv, IReadOnlyList<string> env)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(env);
        long strings = RuntimeReserve;
        foreach (var arg in argv)
        {
            var size = Encoding.UTF8.GetByteCount(arg) + 1L;
            if (size > MaxArgStrlen)
            {
                return $"an argument of {size - 1} bytes (\"{Preview(arg)}...\") is longer than execve(2) accepts ({MaxArgStrlen - 1} bytes, MAX_ARG_STRLEN)";
            }

            strings += size;
        }

        foreach (var variable in env)
        {
            var size = Encoding.UTF8.GetByteCount(variable) + 1L;
            if (size > MaxArgStrlen)
            {
                var eq = variable.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? Preview(variable) : Preview(variable[..eq]);
                return $"the environment variable {name} takes {size - 1} bytes, more than execve(2) accepts for one string ({MaxArgStrlen - 1} bytes, MAX_ARG_STRLEN)";
            }

            strings += size;
        }

        // bprm_stack_limits: one pointer per string (at least one argv slot), and the NULL ending each list.
        var pointers = (Math.Max(argv.Count, 1) + env.Count + RuntimeVariables + 2L) * sizeof(long);
        return strings + pointers > Total
            ? $"the arguments and environment take {strings + pointers} bytes, more than the {Total} execve(2) accepts under this stack limit (argument list too long)"
            : null;
    }

    private static string Preview(string text) => text.Length <= 24 ? text : text[..24];
}
