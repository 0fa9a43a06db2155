using System.Runtime.InteropServices;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Security;

/// <summary>
/// Compiles the spec's seccomp object into a classic BPF program with libseccomp, as runc does
/// (libcontainer/seccomp/seccomp_linux.go InitSeccomp), but exports the program instead of loading
/// it: the runtime installs it itself on the thread that becomes the container's process, and the
/// program is cached so that libseccomp is loaded only when a profile is new.
/// runc's rules kept: names libseccomp does not know are skipped (a kernel too old for them
/// refuses them anyway); a rule whose action is the default action is skipped; conditions on
/// one argument are AND-ed by libseccomp, so a rule with two conditions on the same argument
/// becomes one rule per condition; a binary tree (SCMP_FLTATR_CTL_OPTIMIZE 2) above 32 names;
/// the ENOSYS stub (<see cref="SeccompEnosysStub"/>) in front unless the default action allows.
/// </summary>
internal static unsafe class SeccompCompiler
{
    private const int Eexist = 17;
    private const uint Enosys = 38;
    private const int MaxArguments = 6;
    private const int BinaryTreeAbove = 32;

    /// <summary>The program: struct sock_filter[] in host byte order, ENOSYS stub first.</summary>
    public static byte[] Compile(SpecSeccomp spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!string.IsNullOrEmpty(spec.ListenerPath))
        {
            throw new SeccompException($"seccomp listenerPath {spec.ListenerPath} is not supported: Anchor has no seccomp agent");
        }

        _ = SeccompNames.Flags(spec.Flags);
        var defaultAction = SeccompNames.Action(spec.DefaultAction, spec.DefaultErrnoRet);
        var rules = spec.Syscalls ?? [];
        foreach (var rule in rules)
        {
            // Every rule is checked, also those the filter will skip (runc converts them all first).
            _ = SeccompNames.Action(rule.Action, rule.ErrnoRet);
            foreach (var arg in rule.Args ?? [])
            {
                _ = SeccompNames.Operator(arg.Op);
            }
        }

        var ctx = Init(defaultAction);
        try
        {
            var tokens = AddArchitectures(ctx, spec.Architectures ?? []);
            Check(LibSeccomp.seccomp_attr_set(ctx, LibSeccomp.SCMP_FLTATR_CTL_NNP, 0), "seccomp_attr_set(SCMP_FLTATR_CTL_NNP)");
            if (rules.Sum(r => r.Names?.Count ?? 0) > BinaryTreeAbove)
            {
                // Faster to run for long lists (libseccomp 2.5.4 misbehaves with it and no rules).
                _ = LibSeccomp.seccomp_attr_set(ctx, LibSeccomp.SCMP_FLTATR_CTL_OPTIMIZE, 2);
            }

            foreach (var rule in rules)
            {
                AddRule(ctx, rule, defaultAction);
            }

            var program = Export(ctx);
            if (SeccompNames.Allows(spec.DefaultAction) || (spec.DefaultAction == "SCMP_ACT_ERRNO" && spec.DefaultErrnoRet == Enosys))
            {
                return program;
            }

            var stub = SeccompEnosysStub.Generate(LastSyscalls(tokens, rules));
            var bytes = new byte[(stub.Count * sizeof(LibC.sock_filter)) + program.Length];
            MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(stub)).CopyTo(bytes);
            program.CopyTo(bytes.AsSpan(stub.Count * sizeof(LibC.sock_filter)));
            return bytes;
        }
        finally
        {
            LibSeccomp.seccomp_release(ctx);
        }
    }

    /// <summary>libseccomp's version, for messages ("2.5.4"); loads the library.</summary>
    public static string Version()
    {
        var v = LibSeccomp.seccomp_version();
        return v is null ? "unknown" : $"{v->major}.{v->minor}.{v->micro}";
    }

    private static nint Init(uint defaultAction)
    {
        nint ctx;
        try
        {
            ctx = LibSeccomp.seccomp_init(defaultAction);
        }
        catch (DllNotFoundException e)
        {
            throw new SeccompException($"cannot load {LibSeccomp.Lib} to compile the seccomp profile (install libseccomp2): {e.Message}", e);
        }

        return ctx != 0 ? ctx : throw new SeccompException("seccomp_init: libseccomp refused the default action");
    }

    /// <summary>Adds the spec's architectures to the native one; returns every token in the filter.</summary>
    private static List<uint> AddArchitectures(nint ctx, IReadOnlyList<string> architectures)
    {
        var tokens = new List<uint> { LibSeccomp.seccomp_arch_native() };
        foreach (var name in architectures)
        {
            var native = SeccompNames.Architecture(name);
            var token = LibSeccomp.seccomp_arch_resolve_name(native);
            if (token == 0)
            {
                throw new SeccompException($"seccomp architecture {name} is not supported by libseccomp {Version()}");
            }

            var rc = LibSeccomp.seccomp_arch_add(ctx, token);
            if (rc != 0 && rc != -Eexist)
            {
                Check(rc, $"seccomp_arch_add({name})");
            }

            if (!tokens.Contains(token))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }

    private static void AddRule(nint ctx, SpecSeccompSyscall rule, uint defaultAction)
    {
        var names = rule.Names ?? [];
        if (names.Any(string.IsNullOrEmpty))
        {
            throw new SeccompException("empty string is not a valid syscall");
        }

        var action = SeccompNames.Action(rule.Action, rule.ErrnoRet);
        if (action == defaultAction)
        {
            // Redundant, and libseccomp refuses it (EACCES).
            return;
        }

        var args = rule.Args ?? [];
        var conditions = new LibSeccomp.scmp_arg_cmp[args.Count];
        var perArgument = new int[MaxArguments];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Index >= MaxArguments)
            {
                throw new SeccompException($"seccomp argument index {arg.Index} is out of range: a system call has {MaxArguments} arguments");
            }

            perArgument[arg.Index]++;
            conditions[i] = new LibSeccomp.scmp_arg_cmp { arg = arg.Index, op = SeccompNames.Operator(arg.Op), datum_a = arg.Value, datum_b = arg.ValueTwo };
        }

        var separately = perArgument.Any(c => c > 1);
        foreach (var name in names)
        {
            var nr = LibSeccomp.seccomp_syscall_resolve_name(name);
            if (nr == LibSeccomp.__NR_SCMP_ERROR)
            {
                continue;
            }

            fixed (LibSeccomp.scmp_arg_cmp* all = conditions)
            {
                if (!separately)
                {
                    CheckRule(LibSeccomp.seccomp_rule_add_array(ctx, action, nr, (uint)conditions.Length, conditions.Length == 0 ? null : all), name);
                    continue;
                }

                for (var i = 0; i < conditions.Length; i++)
                {
                    CheckRule(LibSeccomp.seccomp_rule_add_array(ctx, action, nr, 1, all + i), name);
                }
            }
        }
    }

    /// <summary>The largest call number the rules name, per architecture (runc's findLastSyscalls).</summary>
    private static List<SeccompEnosysStub.LastSyscall> LastSyscalls(List<uint> tokens, IReadOnlyList<SpecSeccompSyscall> rules)
    {
        var result = new List<SeccompEnosysStub.LastSyscall>();
        foreach (var token in tokens)
        {
            var largest = 0;
            foreach (var name in rules.SelectMany(r => r.Names ?? []))
            {
                largest = Math.Max(largest, LibSeccomp.seccomp_syscall_resolve_name_arch(token, name));
            }

            result.Add(new SeccompEnosysStub.LastSyscall(token, (uint)largest));
        }

        return result;
    }

    private static byte[] Export(nint ctx)
    {
        var fd = LibC.memfd_create("anchor-seccomp", LibC.MFD_CLOEXEC);
        if (fd < 0)
        {
            throw new SeccompException($"memfd_create: {new Linux.LinuxException(Marshal.GetLastPInvokeError(), "memfd_create", null).Message}");
        }

        try
        {
            Check(LibSeccomp.seccomp_export_bpf(ctx, fd), "seccomp_export_bpf");
            var buffer = new byte[(LibC.BPF_MAXINSNS + 1) * sizeof(LibC.sock_filter)];
            var total = 0;
            fixed (byte* p = buffer)
            {
                while (total < buffer.Length)
                {
                    var n = LibC.pread(fd, p + total, buffer.Length - total, total);
                    if (n < 0)
                    {
                        throw new SeccompException($"reading the exported seccomp program: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                    }

                    if (n == 0)
                    {
                        break;
                    }

                    total += (int)n;
                }
            }

            if (total == 0 || total % sizeof(LibC.sock_filter) != 0 || total > LibC.BPF_MAXINSNS * sizeof(LibC.sock_filter))
            {
                throw new SeccompException($"libseccomp exported a seccomp program of {total} bytes (the kernel takes up to {LibC.BPF_MAXINSNS} instructions of 8)");
            }

            return buffer[..total];
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static void CheckRule(int rc, string name)
    {
        if (rc != 0)
        {
            throw new SeccompException($"error adding seccomp filter rule for syscall {name}: {Marshal.GetPInvokeErrorMessage(-rc).ToLowerInvariant()}");
        }
    }

    private static void Check(int rc, string operation)
    {
        if (rc != 0)
        {
            throw new SeccompException($"{operation}: {Marshal.GetPInvokeErrorMessage(-rc).ToLowerInvariant()}");
        }
    }
}
