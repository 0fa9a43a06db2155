using System.CommandLine;
using System.Text.Json;
using Anchor.Cli.Commands;

namespace Anchor.Cli.Tests;

/// <summary>`run` parsed with only the options its arguments mention gives the same RunOptions (or the same error) as the full tree.</summary>
public sealed class OptionPruningTests
{
    public static TheoryData<string> CommandLines() =>
    [
        "run --rm --network none busybox true",
        "run -it busybox sh",
        "run -dit --name web -p 8080:80 -p 127.0.0.1:9090:90/udp -e A=b -e C busybox sh -c 'echo -e x'",
        "run --rm -e=A=b --env B=c -w /tmp -u 1000:1000 --hostname h --memory 64m --cpus 0.5 busybox id",
        "run --rm --read-only --cap-drop ALL --cap-add NET_RAW --security-opt no-new-privileges busybox true",
        "run --rm -v /data --mount type=tmpfs,destination=/t --tmpfs /x:size=1m busybox true",
        "run --rm --ulimit nofile=512:1024 --sysctl kernel.shm_rmid_forced=1 --shm-size 128m --ipc shareable busybox true",
        "run --rm --label a=b -l c=d --stop-timeout 3 --pull never --init --health-cmd 'true' --health-interval 1s busybox true",
        "run --rm --memory 64m --memory-swap 128m --cpu-shares 512 --cpuset-cpus 0 --log-driver none busybox true",
        "run --rm -a stdout -a stderr --entrypoint /bin/sh busybox -c 'exit 3'",
        "run --rm --bogus busybox true",
        "run --rm --name",
        "create --name c1 -e A=b busybox sleep 1",
        "run --rm -h myhost busybox hostname",
        "run --rm -it -h=myhost busybox sh",
    ];

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void Pruned_ParsesAsTheFullTree(string line)
    {
        var args = Split(line);
        var full = Parse(args, prune: false);
        Assert.Equal(full, Parse(args, prune: true));
        // The lines are valid but for the two that test the errors: a comparison of two errors would prove little.
        Assert.True(full.StartsWith('{') == !(line.Contains("--bogus", StringComparison.Ordinal) || line.EndsWith("--name", StringComparison.Ordinal)), full);
    }

    [Fact]
    public void Pruning_LeavesOnlyMentionedOptions()
    {
        var command = RunCommand.Create();
        var before = command.Options.Count;
        OptionPruning.KeepMentioned(command, ["run", "-it", "--rm", "busybox", "sh"]);

        Assert.True(command.Options.Count < before / 4, $"{command.Options.Count} of {before} kept");
        Assert.Contains(command.Options, o => o.Name == "--interactive");
        Assert.Contains(command.Options, o => o.Name == "--tty");
        Assert.Contains(command.Options, o => o.Name == "--rm");
        Assert.DoesNotContain(command.Options, o => o.Name == "--memory");
    }

    [Fact]
    public void Help_KeepsEveryOption()
    {
        var command = RunCommand.Create();
        var before = command.Options.Count;
        OptionPruning.KeepMentioned(command, ["run", "--help"]);

        Assert.Equal(before, command.Options.Count);
    }

    private static string Parse(string[] args, bool prune)
    {
        var root = new Command("anchor");
        var verb = args[0] == "create" ? CreateCommand.Create() : RunCommand.Create();
        if (prune)
        {
            OptionPruning.KeepMentioned(verb, args);
        }

        root.Subcommands.Add(verb);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            return "error: " + result.Errors[0].Message;
        }

        try
        {
            var options = RunCommand.ToOptions(result);
            return JsonSerializer.Serialize(options, Anchor.Engine.State.EngineJsonContext.Default.RunOptions);
        }
        catch (Exception e)
        {
            return "throws: " + e.Message;
        }
    }

    /// <summary>Splits on spaces, keeping single-quoted words whole (enough for these lines).</summary>
    private static string[] Split(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '\'')
            {
                quoted = !quoted;
            }
            else if (ch == ' ' && !quoted)
            {
                words.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        words.Add(current.ToString());
        return [.. words];
    }
}
