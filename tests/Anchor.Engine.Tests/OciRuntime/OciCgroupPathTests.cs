using Anchor.Engine;
using Anchor.Engine.OciRuntime;

namespace Anchor.Engine.Tests.OciRuntime;

public sealed class OciCgroupPathTests
{
    [Theory]
    [InlineData(null, "c1", "c1")]
    [InlineData("", "c1", "c1")]
    [InlineData("/default/c1", "c1", "default/c1")]
    [InlineData("/docker/abc", "abc", "docker/abc")]
    [InlineData("system.slice:runc:c1", "c1", "system.slice/runc-c1.scope")]
    [InlineData("kubepods-besteffort-pod12.slice:cri-containerd:c1", "c1", "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice/cri-containerd-c1.scope")]
    [InlineData(":cri-o:c1", "c1", "system.slice/cri-o-c1.scope")]
    public void Resolve_CgroupfsAndSystemdForms_GiveTheRelativePath(string? cgroupsPath, string id, string expected) =>
        Assert.Equal(expected, OciCgroupPath.Resolve(cgroupsPath, id));

    [Fact]
    public void Resolve_PathClimbingOut_IsRefused() =>
        Assert.Throws<EngineException>(() => OciCgroupPath.Resolve("/a/../../b", "c1"));

    [Theory]
    [InlineData("ok-id_1.2+x")]
    [InlineData("a")]
    public void ValidateId_RuncsCharacters_Pass(string id) => OciRuntimeRoot.ValidateId(id);

    [Theory]
    [InlineData("", "container id cannot be empty")]
    [InlineData("..", "invalid container ID format")]
    [InlineData("a/b", "invalid container ID format")]
    [InlineData("a b", "invalid container ID format")]
    public void ValidateId_Bad_IsRuncsError(string id, string message) =>
        Assert.Equal(message, Assert.Throws<EngineException>(() => OciRuntimeRoot.ValidateId(id)).Message);
}
