using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// Switches to the spec's user: supplementary groups first, then gid, then uid, since dropping uid 0
/// first would take away the right to change groups (setgroups(2), setresuid(2); runc's setupUser).
/// Raw system calls, per thread: the calling thread is the one that execs (see LibC.thread_setresuid).
/// </summary>
public static unsafe class Credentials
{
    public static void Apply(SpecUser user)
    {
        var groups = user.AdditionalGids ?? [];
        var list = stackalloc uint[Math.Max(groups.Count, 1)];
        for (var i = 0; i < groups.Count; i++)
        {
            list[i] = groups[i];
        }

        Sys.Check(LibC.thread_setgroups(groups.Count, list), "setgroups");
        Sys.Check(LibC.thread_setresgid(user.Gid, user.Gid, user.Gid), "setresgid", user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Sys.Check(LibC.thread_setresuid(user.Uid, user.Uid, user.Uid), "setresuid", user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
