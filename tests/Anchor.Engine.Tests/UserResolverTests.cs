using Anchor.Engine.Run;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Tests;

public sealed class UserResolverTests : IDisposable
{
    private readonly string _lower = Directory.CreateTempSubdirectory("anchor-users-lower").FullName;
    private readonly string _upper = Directory.CreateTempSubdirectory("anchor-users-upper").FullName;

    public UserResolverTests()
    {
        Directory.CreateDirectory(Path.Combine(_lower, "etc"));
        File.WriteAllText(Path.Combine(_lower, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(_lower, "etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\naudio:x:29:app\n");
    }

    private IReadOnlyList<string> Layers => [_upper, _lower];

    [Fact]
    public void Empty_IsRoot_WithRootsHome()
    {
        var (user, home) = UserResolver.Resolve(null, Layers);
        Assert.Equal(0u, user.Uid);
        Assert.Equal(0u, user.Gid);
        Assert.Equal("/root", home);
    }

    [Fact]
    public void Name_ResolvesIdsAndSupplementaryGroups()
    {
        var (user, home) = UserResolver.Resolve("app", Layers);
        Assert.Equal(1000u, user.Uid);
        Assert.Equal(1000u, user.Gid);
        // docker (moby getUser, CVE-2022-36109): the primary gid first, then the groups listing the user.
        Assert.Equal([1000u, 10u, 29u], user.AdditionalGids);
        Assert.Equal("/home/app", home);
    }

    [Fact]
    public void UidColonGid_HasOnlyThePrimaryGroup()
    {
        var (user, _) = UserResolver.Resolve("1000:1000", Layers);
        Assert.Equal([1000u], user.AdditionalGids);
        // An explicit group leaves out the memberships (GetExecUser: "only in the implicit form").
        Assert.Equal([10u], UserResolver.Resolve("app:wheel", Layers).User.AdditionalGids);
    }

    [Fact]
    public void GroupAdd_NamesFromTheImage_NumbersAsGiven_EachOnce()
    {
        var (user, _) = UserResolver.Resolve("4242:4242", Layers, ["audio", "77", "29", "wheel"]);
        Assert.Equal([4242u, 29u, 77u, 10u], user.AdditionalGids);
    }

    [Fact]
    public void GroupAdd_UnknownName_FailsWithDockersWording()
    {
        var error = Assert.Throws<EngineException>(() => UserResolver.Resolve(null, Layers, ["ghosts"]));
        Assert.Equal("Error response from daemon: Unable to find group ghosts: no matching entries in group file", error.Shown());
        Assert.Equal(125, error.ExitCode);
    }

    [Fact]
    public void NumericUnknownUid_IsAccepted_WithGroupZero()
    {
        var (user, home) = UserResolver.Resolve("4242", Layers);
        Assert.Equal(4242u, user.Uid);
        Assert.Equal(0u, user.Gid);
        Assert.Equal("/", home);
    }

    [Fact]
    public void ExplicitGroup_ByNameOrNumber()
    {
        Assert.Equal(10u, UserResolver.Resolve("app:wheel", Layers).User.Gid);
        Assert.Equal(77u, UserResolver.Resolve("app:77", Layers).User.Gid);
    }

    [Fact]
    public void UnknownNames_Fail_WithDockersWording()
    {
        var error = Assert.Throws<EngineException>(() => UserResolver.Resolve("ghost", Layers));
        Assert.Equal("unable to find user ghost: no matching entries in passwd file", error.Message);
        Assert.Throws<EngineException>(() => UserResolver.Resolve("app:ghosts", Layers));
    }

    [Fact]
    public void WhiteoutInUpperLayer_HidesLowerPasswd()
    {
        Directory.CreateDirectory(Path.Combine(_upper, "etc"));
        Assert.Equal(0, LibC.mknod(Path.Combine(_upper, "etc/passwd"), LibC.S_IFCHR, 0));
        Assert.Throws<EngineException>(() => UserResolver.Resolve("app", Layers));
    }

    public void Dispose()
    {
        Directory.Delete(_lower, true);
        Directory.Delete(_upper, true);
    }
}
