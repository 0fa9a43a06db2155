namespace Anchor.IntegrationTests;

/// <summary>
/// What start, kill, pause, unpause, rename and rm print when they are refused, line for line as
/// docker 20.10 prints it: the daemon's errors after "Error response from daemon: ", and the lines
/// docker's CLI adds itself ("Error: failed to start containers: …", "Error: failed to rename …").
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class LifecycleRefusalTests(AnchorFixture anchor)
{
    [Fact]
    public void MissingContainers_DockersLinesPerVerb_Exit1()
    {
        var a = "nosuch-" + Guid.NewGuid().ToString("N")[..8];
        var b = "nosuch-" + Guid.NewGuid().ToString("N")[..8];
        Refused(["start", a, b], $"Error response from daemon: No such container: {a}\nError response from daemon: No such container: {b}\nError: failed to start containers: {a}, {b}");
        Refused(["kill", a, b], $"Error response from daemon: Cannot kill container: {a}: No such container: {a}\nError response from daemon: Cannot kill container: {b}: No such container: {b}");
        Refused(["rm", a, b], $"Error: No such container: {a}\nError: No such container: {b}");
        Refused(["rename", a, "new-" + a], $"Error response from daemon: No such container: {a}\nError: failed to rename container named {a}");
        Refused(["diff", a], $"Error response from daemon: No such container: {a}");
        Refused(["commit", a], $"Error response from daemon: No such container: {a}");
    }

    [Fact]
    public void StateRefusals_AreTheDaemonsCapitalisedLines()
    {
        var name = Detached.UniqueName("it-refuse");
        var other = Detached.UniqueName("it-refuse-other");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever);
            Refused(["kill", "-s", "NOSUCH", name, name], "Error response from daemon: Invalid signal: NOSUCH\nError response from daemon: Invalid signal: NOSUCH");
            Refused(["unpause", name], $"Error response from daemon: Container {id} is not paused");
            anchor.Ok("pause", name);
            Refused(["pause", name], $"Error response from daemon: Container {id} is already paused");
            anchor.Ok("unpause", name);
            anchor.Ok("kill", name);
            anchor.WaitExit(name);
            Refused(["pause", name], $"Error response from daemon: Container {id} is not running");
            Refused(["kill", name], $"Error response from daemon: Cannot kill container: {name}: Container {id} is not running");

            Refused(["rename", name, name], $"Error response from daemon: Renaming a container with the same name as its current name\nError: failed to rename container named {name}");
            var otherId = anchor.Ok("create", "--name", other, "--network", "none", AnchorFixture.Image).Out;
            var rename = anchor.Anchor(["rename", name, other]);
            Assert.True(rename.ExitCode == 1, rename.ToString());
            Assert.EndsWith($"already in use by container \"{otherId}\". You have to remove (or rename) that container to be able to reuse that name.\nError: failed to rename container named {name}", rename.Err, StringComparison.Ordinal);
        }
        finally
        {
            anchor.ForceRemove(name, other);
        }
    }

    private void Refused(string[] args, string stderr)
    {
        var result = anchor.Anchor(args, timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 1, $"anchor {string.Join(' ', args)}: {result}");
        Assert.Equal(stderr, result.Err);
        Assert.Equal("", result.Out);
    }
}
