namespace Anchor.IntegrationTests;

/// <summary>
/// -e and --env-file with docker's rules: an empty variable name is refused before anything is
/// created (run and create exit 125 with docker's message), a bare name unset here unsets it in
/// the container, exec refuses a bad file with exit 1.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityInputTests(AnchorFixture anchor)
{
    private string EnvFile(string content)
    {
        var file = Path.Combine(anchor.TempDir, "env-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(file, content);
        return file;
    }

    private void AssertRefusedAndNothingCreated(string expected, params string[] args)
    {
        var before = anchor.ContainerIds();
        var result = anchor.Anchor(args);
        Assert.True(result.ExitCode == 125, $"anchor {string.Join(' ', args)}: {result}");
        // docker: a flag's error is pflag's with the hint; any other is reportError's "docker: ….", then the hint.
        var hint = $"See 'anchor {args[0]} --help'.";
        Assert.Equal(expected.StartsWith("invalid argument ", StringComparison.Ordinal) ? $"{expected}\n{hint}" : $"anchor: {expected}.\n{hint}", result.Err);
        Assert.Equal(before, anchor.ContainerIds());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("create")]
    public void EmptyName_InAFlag_IsRefusedWithNothingCreated(string verb)
    {
        AssertRefusedAndNothingCreated(
            "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x",
            verb, "--name", "env-flag-" + Guid.NewGuid().ToString("N")[..8], "-e", "=x", AnchorFixture.Image, "true");
    }

    [Theory]
    [InlineData("run", "A=1\n=value\n", "no variable name on line '=value'")]
    [InlineData("create", "A=1\n=value\n", "no variable name on line '=value'")]
    [InlineData("run", "MY VAR=1\n", "variable 'MY VAR' contains whitespaces")]
    public void BadEnvFile_IsRefusedWithNothingCreated(string verb, string content, string reason)
    {
        var file = EnvFile(content);
        AssertRefusedAndNothingCreated(
            $"invalid env file ({file}): {reason}",
            verb, "--env-file", file, AnchorFixture.Image, "true");
    }

    [Fact]
    public void EnvFile_InvalidUtf8_IsRefused()
    {
        var file = Path.Combine(anchor.TempDir, "env-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllBytes(file, [(byte)'A', (byte)'=', 0xFF, (byte)'\n']);
        AssertRefusedAndNothingCreated($"invalid env file ({file}): invalid utf8 bytes at line 1: [65 61 255]", "run", "--env-file", file, AnchorFixture.Image, "true");
    }

    [Fact]
    public void EnvFile_DockersLineRules_ReachTheContainer()
    {
        var file = EnvFile("\uFEFFA=1\r\n  B=two words  \n# comment\nEMPTY=\nANCHOR_UNSET_IN_TEST\n");
        var env = anchor.ShOk("env", "--env-file", file).Split('\n');
        Assert.Contains("A=1", env);
        Assert.Contains("B=two words  ", env);
        Assert.Contains("EMPTY=", env);
        Assert.DoesNotContain(env, l => l.StartsWith("ANCHOR_UNSET_IN_TEST", StringComparison.Ordinal));
    }

    [Fact]
    public void BareName_UnsetHere_UnsetsItInTheContainer()
    {
        // HOSTNAME is one of the engine's defaults; a bare -e HOSTNAME that anchor's environment lacks removes it (docker's daemon does).
        var result = ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(["run", "--rm", "--network", "none", "-e", "HOSTNAME", AnchorFixture.Image, "env"]),
            stdin: (string?)null, env: new Dictionary<string, string?> { ["HOSTNAME"] = null });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(result.Out.Split('\n'), l => l.StartsWith("HOSTNAME=", StringComparison.Ordinal));
    }

    [Fact]
    public void Exec_BadFlagOrEnvFile_IsRefused()
    {
        var name = Detached.UniqueName("exec-env");
        anchor.ShDetached(name, Detached.Forever);
        try
        {
            var flag = anchor.Anchor(["exec", "-e", "=x", name, "true"]);
            Assert.Equal(125, flag.ExitCode);
            Assert.Equal("invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x\nSee 'anchor exec --help'.", flag.Err);

            var file = EnvFile("=value\n");
            var bad = anchor.Anchor(["exec", "--env-file", file, name, "true"]);
            Assert.Equal(1, bad.ExitCode);
            Assert.Equal($"invalid env file ({file}): no variable name on line '=value'", bad.Err);

            var good = anchor.Anchor(["exec", "--env-file", EnvFile("FROM_FILE=yes\n"), name, "env"]);
            Assert.True(good.ExitCode == 0, good.ToString());
            Assert.Contains("FROM_FILE=yes", good.Out.Split('\n'));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
