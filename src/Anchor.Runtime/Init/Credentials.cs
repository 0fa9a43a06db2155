using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// Switches to the spec's user: supplementary groups first, then gid, then uid, since dropping uid 0
/// first would take away the right to change groups (setgroups(2), setresuid(2); runc's setupUser).
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

        Sys.Check(LibC.setgroups(groups.Count, list), "setgroups");
        Sys.Check(LibC.setresgid(user.Gid, user.Gid, user.Gid), "setresgid", user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Sys.Check(LibC.setresuid(user.Uid, user.Uid, user.Uid), "setresuid", user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
