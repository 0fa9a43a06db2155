using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Launch;

/// <summary>What the launcher needs: the bundle with its spec, the prepared cgroup, and how stdin is wired.</summary>
public sealed record LaunchRequest(Bundle Bundle, Spec Spec, ICgroupManager? Cgroup, bool KeepStdin);
