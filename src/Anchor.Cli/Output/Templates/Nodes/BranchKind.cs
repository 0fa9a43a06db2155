namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>The three control structures that share Go's BranchNode shape.</summary>
internal enum BranchKind
{
    If,
    Range,
    With,
}
