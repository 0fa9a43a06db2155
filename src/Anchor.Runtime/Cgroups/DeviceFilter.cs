using System.Text;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Loads a device program (<see cref="DeviceFilterProgram"/>) and attaches it to a cgroup v2 directory
/// (bpf(2) BPF_PROG_LOAD, then BPF_PROG_ATTACH with BPF_CGROUP_DEVICE). BPF_F_ALLOW_MULTI lets a program
/// of an ancestor (systemd's, say) stay in force beside ours: the kernel runs all of them and refuses
/// what any refuses. The attachment holds the program: both descriptors are closed at once and nothing
/// is pinned, so the program goes away with the cgroup.
/// </summary>
public static unsafe class DeviceFilter
{
    private const int LogSize = 64 * 1024;

    /// <summary>"anchor_devices": shown by bpftool prog; the kernel takes [A-Za-z0-9_.], 15 bytes and a NUL.</summary>
    private static ReadOnlySpan<byte> Name => "anchor_devices"u8;

    /// <summary>The license string; the program calls no helper, so no GPL-only one either.</summary>
    private static ReadOnlySpan<byte> License => "Apache-2.0\0"u8;

    public static void Attach(string cgroupDirectory, byte[] program)
    {
        ArgumentNullException.ThrowIfNull(cgroupDirectory);
        ArgumentNullException.ThrowIfNull(program);
        var prog = Load(program);
        try
        {
            var dir = LibC.open(cgroupDirectory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
            if (dir < 0)
            {
                throw new CgroupException($"cgroup: cannot open {cgroupDirectory}: {LinuxException.FromLastError("open", cgroupDirectory).Message}");
            }

            try
            {
                var attr = new LibC.bpf_attr_prog_attach
                {
                    target_fd = (uint)dir,
                    attach_bpf_fd = (uint)prog,
                    attach_type = LibC.BPF_CGROUP_DEVICE,
                    attach_flags = LibC.BPF_F_ALLOW_MULTI,
                };
                if (LibC.bpf(LibC.BPF_PROG_ATTACH, &attr, (uint)sizeof(LibC.bpf_attr_prog_attach)) < 0)
                {
                    throw new CgroupException($"cgroup: cannot attach the device filter to {cgroupDirectory}: {LinuxException.FromLastError("bpf(BPF_PROG_ATTACH)").Message}");
                }
            }
            finally
            {
                LibC.close(dir);
            }
        }
        finally
        {
            LibC.close(prog);
        }
    }

    /// <summary>Loads the program; a refusal is retried once with the verifier's log, which the error then quotes.</summary>
    private static int Load(byte[] program)
    {
        var fd = Load(program, null);
        if (fd >= 0)
        {
            return fd;
        }

        var errno = Sys.LastErrno;
        var log = new byte[LogSize];
        _ = Load(program, log);
        var text = Encoding.UTF8.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).Trim();
        var message = new LinuxException(errno, "bpf(BPF_PROG_LOAD)", null).Message;
        throw new CgroupException($"cgroup: cannot load the device filter: {message}" + (text.Length > 0 ? $" (verifier: {text.Replace('\n', ' ')})" : ""));
    }

    private static int Load(byte[] program, byte[]? log)
    {
        fixed (byte* insns = program)
        fixed (byte* license = License)
        fixed (byte* logBuffer = log)
        {
            var attr = new LibC.bpf_attr_prog_load
            {
                prog_type = LibC.BPF_PROG_TYPE_CGROUP_DEVICE,
                insn_cnt = (uint)(program.Length / DeviceFilterProgram.InstructionSize),
                insns = (ulong)insns,
                license = (ulong)license,
                log_level = log is null ? 0u : 1u,
                log_size = log is null ? 0u : (uint)log.Length,
                log_buf = (ulong)logBuffer,
            };
            Name.CopyTo(new Span<byte>(attr.prog_name, LibC.BPF_OBJ_NAME_LEN));
            return LibC.bpf(LibC.BPF_PROG_LOAD, &attr, (uint)sizeof(LibC.bpf_attr_prog_load));
        }
    }
}
