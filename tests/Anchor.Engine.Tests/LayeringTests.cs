using System.Reflection;

namespace Anchor.Engine.Tests;

/// <summary>The project graph of docs/architecture.md: a layer only uses the layers below it.</summary>
public sealed class LayeringTests
{
    private static readonly Dictionary<string, Assembly> Assemblies = new()
    {
        ["Anchor.Linux"] = typeof(Anchor.Linux.Sys).Assembly,
        ["Anchor.Oci"] = typeof(Anchor.Oci.Digest).Assembly,
        ["Anchor.Images"] = typeof(Anchor.Images.ImageStore).Assembly,
        ["Anchor.Runtime"] = typeof(Anchor.Runtime.Bundle).Assembly,
        ["Anchor.Network"] = typeof(Anchor.Network.BridgeNetwork).Assembly,
        ["Anchor.Build"] = typeof(Anchor.Build.Builder).Assembly,
        ["Anchor.Engine"] = typeof(AnchorEngine).Assembly,
    };

    [Theory]
    [InlineData("Anchor.Linux", new string[0])]
    [InlineData("Anchor.Oci", new string[0])]
    [InlineData("Anchor.Images", new[] { "Anchor.Oci", "Anchor.Linux" })]
    [InlineData("Anchor.Runtime", new[] { "Anchor.Oci", "Anchor.Linux" })]
    [InlineData("Anchor.Network", new[] { "Anchor.Linux" })]
    [InlineData("Anchor.Build", new[] { "Anchor.Oci", "Anchor.Linux", "Anchor.Images" })]
    [InlineData("Anchor.Engine", new[] { "Anchor.Oci", "Anchor.Linux", "Anchor.Images", "Anchor.Runtime", "Anchor.Network", "Anchor.Build" })]
    public void Project_ReferencesOnlyLowerLayers(string project, string[] allowed)
    {
        var anchorReferences = Assemblies[project].GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Anchor.", StringComparison.Ordinal));
        Assert.All(anchorReferences, name => Assert.Contains(name, allowed));
    }
}
