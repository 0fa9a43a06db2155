namespace Anchor.IntegrationTests;

/// <summary>
/// Cross-repository blob mounts (issue 14, push): a layer the registry already holds in another
/// repository, known from an image's RepoDigest, is mounted, not uploaded again.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class PushMountTests(AnchorFixture anchor)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void SecondRepository_OfTheSameRegistry_MountsTheLayers_AndThePullMatches()
    {
        using var registry = new RegistryServer();
        using var store = new PrivateStore(anchor, "push-mount");
        using var reader = new PrivateStore(anchor, "push-mount-pull");
        var first = $"{registry.Host}/one/app:1";
        var second = $"{registry.Host}/two/app:1";
        var unique = Guid.NewGuid().ToString("N");
        var tar = Path.Combine(anchor.TempDir, "mount-" + unique[..8] + ".tar");
        using (var builder = new TarBuilder().CopyFrom(anchor.BusyboxTar).File("unique", unique))
        {
            File.WriteAllBytes(tar, builder.ToArray());
        }

        store.Ok("import", tar, first);
        File.Delete(tar);
        var pushed = store.Run(["push", first], timeout: Timeout);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Contains(": Pushed", pushed.Stdout, StringComparison.Ordinal);

        store.Ok("tag", first, second);
        var mounted = store.Run(["push", second], timeout: Timeout);
        Assert.True(mounted.ExitCode == 0, mounted.ToString());
        Assert.Contains(": Mounted from one/app", mounted.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(": Pushed", mounted.Stdout, StringComparison.Ordinal);

        var pull = reader.Run(["pull", second], timeout: Timeout);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(unique, reader.Ok("run", "--rm", "--network", "none", second, "cat", "/unique").Stdout);
    }
}
