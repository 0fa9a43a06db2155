using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Resources;
using Anchor.Engine.Run;
using Anchor.Runtime.Cgroups;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor update|container update [OPTIONS] CONTAINER...</c>: docker's flags, its "you must
/// provide one or more flags" refusal, each container's name echoed on success, docker's
/// "Error response from daemon: Cannot update container ID: …" per failure, warnings on stdout
/// after the names (docker/cli container/update.go), exit 1 when any container failed.
/// </summary>
public static class UpdateCommand
{
    public static Command Create()
    {
        var memory = new Option<string?>("--memory", "-m") { Description = "Memory limit" };
        var memorySwap = new Option<string?>("--memory-swap") { Description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap" };
        var memoryReservation = new Option<string?>("--memory-reservation") { Description = "Memory soft limit" };
        var cpus = new Option<string?>("--cpus") { Description = "Number of CPUs" };
        var cpuShares = new Option<string?>("--cpu-shares", "-c") { Description = "CPU shares (relative weight)" };
        var cpusetCpus = new Option<string?>("--cpuset-cpus") { Description = "CPUs in which to allow execution (0-3, 0,1)" };
        var cpusetMems = new Option<string?>("--cpuset-mems") { Description = "MEMs in which to allow execution (0-3, 0,1)" };
        var pidsLimit = new Option<string?>("--pids-limit") { Description = "Tune container pids limit (set -1 for unlimited)" };
        var blkioWeight = new Option<string?>("--blkio-weight") { Description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)" };
        var restart = new Option<string?>("--restart") { Description = "Restart policy to apply when a container exits" };
        var names = ContainerVerb.Containers();
        Option[] flags = [memory, memorySwap, memoryReservation, cpus, cpuShares, cpusetCpus, cpusetMems, pidsLimit, blkioWeight, restart];
        var command = new Command("update", "Update configuration of one or more containers") { names };
        foreach (var flag in flags)
        {
            command.Options.Add(flag);
        }

        command.SetAction(result =>
        {
            if (!flags.Any(f => result.GetResult(f) is not null))
            {
                Console.Error.WriteLine("you must provide one or more flags when using this command");
                return 1;
            }

            var pids = result.GetValue(pidsLimit);
            var update = new ResourceUpdate
            {
                Memory = RunCommand.ParseMemory(result.GetValue(memory)),
                MemorySwap = ResourceFlags.ParseSwap(result.GetValue(memorySwap), "--memory-swap"),
                MemoryReservation = ResourceFlags.ParseSize(result.GetValue(memoryReservation), "--memory-reservation"),
                CpuQuota = RunCommand.ParseCpus(result.GetValue(cpus)),
                CpuShares = ResourceFlags.ParseShares(result.GetValue(cpuShares)),
                CpusetCpus = result.GetValue(cpusetCpus),
                CpusetMems = result.GetValue(cpusetMems),
                // run's parser turns 0 and -1 into "unset"; for update they clear the limit.
                PidsLimit = pids is null ? null : RunCommand.ParsePids(pids) ?? -1,
                BlkioWeight = ResourceFlags.ParseWeight(result.GetValue(blkioWeight)),
                Restart = result.GetValue(restart) is { } policy ? RestartPolicy.Parse(policy) : null,
            };
            var engine = CliEngine.Of(result);
            var updater = new ContainerUpdater(engine.Paths, engine.Containers);
            var host = CgroupSupport.Detect();
            var warnings = new List<string>();
            var code = ContainerVerb.ForEach(result.GetValue(names)!, name => warnings.AddRange(updater.Update(name, update, host)));
            if (warnings.Count > 0)
            {
                Console.WriteLine(string.Join('\n', warnings.Distinct()));
            }

            return code;
        });
        return command;
    }
}
