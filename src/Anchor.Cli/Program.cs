using Anchor.Cli;
using Anchor.Runtime.Init;

// Before any thread or stage starts (a namespace thread copies the umask with its fs_struct): what
// containers see must not depend on the caller's umask (see FileModes.EngineUmask).
Anchor.Linux.Interop.LibC.umask(Anchor.Linux.FileModes.EngineUmask);

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

if (args.Length > 0 && args[0] == Anchor.Engine.OciRuntime.OciHolder.StageName)
{
    return Anchor.Engine.OciRuntime.OciHolder.Run(args);
}

// The runc-compatible runtime: `anchor oci …`, or this binary invoked through the anchor-runc link
// (argv[0], not /proc/self/exe, which names the link's target).
if (Path.GetFileName(Environment.GetCommandLineArgs()[0]) == Anchor.Cli.Oci.OciCli.LinkName)
{
    return Anchor.Cli.Oci.OciCli.Run(args, Anchor.Cli.Oci.OciCli.LinkName);
}

if (args.Length > 0 && args[0] == "oci")
{
    return Anchor.Cli.Oci.OciCli.Run(args[1..], "anchor oci");
}

Anchor.Linux.PhaseTrace.Mark("cli: main");
return AnchorCli.Run(args);
