using Anchor.Images.Registry;

namespace Anchor.Images.Tests.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parse_DockerHubBearer_ReadsRealmServiceScope()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\""));
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.docker.io/token", c["realm"]);
        Assert.Equal("registry.docker.io", c["service"]);
        Assert.Equal("repository:library/busybox:pull", c["scope"]);
    }

    [Fact]
    public void Parse_QuotedCommaAndEscapes_StayInTheValue()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"http://h/t\", scope=\"repository:a:pull,push\", error=\"say \\\"no\\\"\""));
        Assert.Equal("repository:a:pull,push", c["scope"]);
        Assert.Equal("say \"no\"", c["error"]);
    }

    [Fact]
    public void Parse_TwoChallenges_AndUnquotedValues()
    {
        var list = AuthChallenge.Parse("Basic realm=anchor, Bearer realm=\"http://t/token\",service=reg");
        Assert.Equal(2, list.Count);
        Assert.True(list[0].IsBasic);
        Assert.Equal("anchor", list[0]["realm"]);
        Assert.True(list[1].IsBearer);
        Assert.Equal("reg", list[1]["service"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_IsNoChallenge(string? header) => Assert.Empty(AuthChallenge.Parse(header));

    [Fact]
    public void Parse_SchemeOnly_HasNoParameters()
    {
        var c = Assert.Single(AuthChallenge.Parse("Basic"));
        Assert.True(c.IsBasic);
        Assert.Empty(c.Parameters);
    }
}
