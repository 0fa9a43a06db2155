namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>
/// A parse-tree node (text/template/parse/node.go). <see cref="object.ToString"/> gives Go's
/// source form of the node, which execution errors quote as <c>at &lt;.Foo&gt;</c>.
/// </summary>
internal abstract record TemplateNode(int Pos);
