using Anchor.Cli;
using Anchor.Runtime.Init;

// The same NativeAOT binary is the CLI and, re-executed, the container's init stage: dispatch the
// hidden stage before anything else so that it pays for nothing it does not use.
if (args.Length > 0 && args[0] is InitOptions.StageName)
{
    return InitStage.Run(args);
}

if (args.Length > 0 && args[0] == Anchor.Engine.Monitor.MonitorOptions.StageName)
{
    return MonitorStage.Run(args);
}

if (args.Length > 0 && args[0] == Anchor.Engine.State.Trash.StageName)
{
    return Anchor.Engine.State.Trash.RunStage(args);
}

Anchor.Linux.PhaseTrace.Mark("cli: main");
return AnchorCli.Run(args);
