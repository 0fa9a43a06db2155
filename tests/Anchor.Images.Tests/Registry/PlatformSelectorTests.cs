using Anchor.Images.Registry;
using Anchor.Oci;

namespace Anchor.Images.Tests.Registry;

public sealed class PlatformSelectorTests
{
    private static readonly Descriptor[] Entries =
    [
        Entry('1', "linux", "arm", "v7"),
        Entry('2', "linux", "arm64", "v8"),
        Entry('3', "windows", "amd64", null),
        Entry('4', "linux", "amd64", null),
        Entry('5', "linux", "arm", "v6"),
    ];

    [Fact]
    public void Select_Default_IsLinuxAmd64() =>
        Assert.Equal(Entries[3], PlatformSelector.Select(Entries, PlatformSelector.Default));

    [Theory]
    [InlineData("linux/arm64", 1)]
    [InlineData("linux/arm/v6", 4)]
    [InlineData("linux/arm/v7", 0)]
    [InlineData("arm64", 1)]
    [InlineData("linux/aarch64", 1)]
    [InlineData("windows/amd64", 2)]
    [InlineData("LINUX/X86_64", 3)]
    public void Select_Wanted_PicksThatEntry(string platform, int expected) =>
        Assert.Equal(Entries[expected], PlatformSelector.Select(Entries, PlatformSelector.Parse(platform)));

    [Fact]
    public void Select_NoVariantWanted_TakesAVariantWhenItIsTheOnlyOne() =>
        Assert.Equal(Entries[0], PlatformSelector.Select([Entries[0]], PlatformSelector.Parse("linux/arm")));

    [Fact]
    public void Select_NoMatch_IsNull() =>
        Assert.Null(PlatformSelector.Select(Entries, PlatformSelector.Parse("linux/s390x")));

    [Theory]
    [InlineData("")]
    [InlineData("linux//amd64")]
    [InlineData("a/b/c/d")]
    public void Parse_Malformed_Throws(string value) =>
        Assert.Throws<ImageException>(() => PlatformSelector.Parse(value));

    [Fact]
    public void Format_RoundTrips() =>
        Assert.Equal("linux/arm/v7", PlatformSelector.Format(PlatformSelector.Parse("linux/arm/v7")));

    private static Descriptor Entry(char fill, string os, string arch, string? variant) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Parse("sha256:" + new string(fill, 64)),
        Size = 1,
        Platform = new Platform { Os = os, Architecture = arch, Variant = variant },
    };
}
