namespace Anchor.Cli.Output.Templates;

/// <summary>How a walked node ends: normally, or by {{break}} / {{continue}} of the enclosing range.</summary>
internal enum LoopSignal
{
    None,
    Break,
    Continue,
}
