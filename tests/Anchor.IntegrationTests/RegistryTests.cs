using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// pull, push, login, save against Debian's docker-registry on loopback (plain, htpasswd basic
/// auth, and token auth through the tests' own token server), with skopeo as the independent
/// reader and writer. Every test uses an image of its own (busybox plus a unique file) so layers
/// are never shared with the rest of the store.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class RegistryTests(AnchorFixture anchor) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _config = Directory.CreateTempSubdirectory("anchor-cfg-").FullName;
    private string? _chunkSize;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public void Push_SkopeoInspect_Rmi_Pull_Run_RoundTrips()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/team/app:1.2";
        var unique = ImportUnique(reference);

        var push = Ok("push", reference);
        Assert.Contains($"The push refers to repository [{registry.Host}/team/app]", push.Out, StringComparison.Ordinal);
        Assert.Contains(": Pushed", push.Out, StringComparison.Ordinal);
        var digest = push.Out.Split('\n').Single(l => l.StartsWith("1.2: digest: sha256:", StringComparison.Ordinal)).Split(' ')[2];

        var inspect = Skopeo("inspect", "--tls-verify=false", $"docker://{reference}");
        Assert.Equal(digest, JsonDocument.Parse(inspect.Stdout).RootElement.GetProperty("Digest").GetString());
        Assert.Contains("Layer already exists", Ok("push", reference).Out, StringComparison.Ordinal);

        var before = ImageCount();
        Ok("rmi", reference);
        Assert.Equal(before - 1, ImageCount());

        var pull = Ok("pull", reference);
        Assert.Contains("Pull complete", pull.Out, StringComparison.Ordinal);
        Assert.Contains($"Digest: {digest}", pull.Out, StringComparison.Ordinal);
        Assert.Contains($"Status: Downloaded newer image for {reference}", pull.Out, StringComparison.Ordinal);
        Assert.EndsWith(reference, pull.Out, StringComparison.Ordinal);
        Assert.Contains($"Status: Image is up to date for {reference}", Ok("pull", reference).Out, StringComparison.Ordinal);
        Assert.Contains(digest, Ok("images", "--digests").Out, StringComparison.Ordinal);
        Assert.Equal(unique, Ok("run", "--rm", reference, "cat", "/unique").Out);
        Assert.Equal(reference, Ok("pull", "-q", $"{registry.Host}/team/app:1.2").Out);
        Ok("rmi", reference);
    }

    /// <summary>
    /// Issue 14, found 1: an imported image (plain tar layers) is pushed with gzip layers, as docker
    /// pushes; the second push sends nothing and gives the same digest; the image ID stays.
    /// </summary>
    [Fact]
    public void Push_ImportedImage_SendsGzipLayers_TwiceTheSameDigest()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/gz/app:1";
        ImportUnique(reference);
        var id = Ok("images", "-q", "--no-trunc", reference).Out;
        var first = Ok("push", reference).Out;
        var digest = first.Split('\n').Single(l => l.StartsWith("1: digest: sha256:", StringComparison.Ordinal)).Split(' ')[2];

        using var raw = JsonDocument.Parse(Skopeo("inspect", "--raw", "--tls-verify=false", $"docker://{reference}").Stdout);
        var layer = raw.RootElement.GetProperty("layers")[0];
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", layer.GetProperty("mediaType").GetString());
        var plainSize = new FileInfo(anchor.BusyboxTar).Length;
        Assert.True(layer.GetProperty("size").GetInt64() < plainSize * 3 / 4, $"the pushed layer ({layer.GetProperty("size").GetInt64()} bytes) is not compressed (plain tar {plainSize})");

        var second = Ok("push", reference).Out;
        Assert.Contains("Layer already exists", second, StringComparison.Ordinal);
        Assert.Contains($"1: digest: {digest} ", second, StringComparison.Ordinal);
        Assert.Equal(id, Ok("images", "-q", "--no-trunc", reference).Out);
        Ok("save", "-o", Path.Combine(_config, "after-push.tar"), reference);

        Ok("rmi", reference);
        Assert.Contains($"Digest: {digest}", Ok("pull", reference).Out, StringComparison.Ordinal);
        Assert.Equal(id, Ok("images", "-q", "--no-trunc", reference).Out);
        Ok("rmi", reference);
    }

    [Fact]
    public void Run_MissingImage_PullsItFirst()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/run/app:latest";
        var unique = ImportUnique(reference);
        Ok("push", reference);
        Ok("rmi", reference);

        var run = Anchor("run", "--rm", $"{registry.Host}/run/app", "cat", "/unique");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(unique, run.Out);
        Assert.Contains($"Unable to find image '{reference}' locally", run.Err, StringComparison.Ordinal);
        Assert.Contains($"Status: Downloaded newer image for {reference}", run.Err, StringComparison.Ordinal);
        Ok("rmi", reference);
    }

    [Theory]
    [InlineData("v2s2", "gzip")]
    [InlineData("oci", "gzip")]
    [InlineData("oci", "zstd")]
    public void SkopeoPushedImage_PullsAndRuns(string format, string compression)
    {
        using var registry = new RegistryServer();
        var local = $"skopeo-src/{format}-{compression}:1";
        var unique = ImportUnique(local);
        var archive = Path.Combine(_config, "app.tar");
        Ok("save", "-o", archive, local);
        Assert.Contains("\"Layers\"", Skopeo("inspect", $"docker-archive:{archive}").Stdout, StringComparison.Ordinal);
        Ok("rmi", local);

        var reference = $"{registry.Host}/sk/{format}-{compression}:1";
        Skopeo("copy", "--dest-tls-verify=false", "--format", format, "--dest-compress-format", compression, $"docker-archive:{archive}", $"docker://{reference}");
        Ok("pull", reference);
        Assert.Equal(unique, Ok("run", "--rm", reference, "cat", "/unique").Out);
        Ok("rmi", reference);
    }

    /// <summary>
    /// Issue 14's store inconsistency: an image loaded from an archive (plain layer blobs) and then
    /// pulled with gzip layers has the same ID; the pull finds the layers unpacked already, and the
    /// image's manifest becomes the registry's. Every blob that manifest names must then be in the
    /// store, or save and push of either tag fail with "blob … not found".
    /// </summary>
    [Fact]
    public void LoadThenPullOfTheSameImage_KeepsEveryBlob_SaveAndPushWork()
    {
        using var registry = new RegistryServer();
        var local = "loadpull/app:1";
        var unique = ImportUnique(local);
        var archive = Path.Combine(_config, "app.tar");
        Ok("save", "-o", archive, local);
        var reference = $"{registry.Host}/lp/app:1";
        Skopeo("copy", "--dest-tls-verify=false", "--dest-compress-format", "gzip", $"docker-archive:{archive}", $"docker://{reference}");
        Ok("rmi", local);

        Assert.Contains($"Loaded image: {local}", Ok("load", "-i", archive).Out, StringComparison.Ordinal);
        Assert.Contains("Already exists", Ok("pull", reference).Out, StringComparison.Ordinal);
        Assert.Equal(Ok("images", "-q", "--no-trunc", local).Out, Ok("images", "-q", "--no-trunc", reference).Out);

        Ok("save", "-o", Path.Combine(_config, "a.tar"), local);
        Ok("save", "-o", Path.Combine(_config, "b.tar"), reference);
        Ok("tag", local, $"{registry.Host}/lp/again:1");
        Ok("push", $"{registry.Host}/lp/again:1");
        Assert.Equal(unique, Ok("run", "--rm", local, "cat", "/unique").Out);
        Ok("rmi", local, reference, $"{registry.Host}/lp/again:1");
    }

    [Fact]
    public void Save_OciArchive_IsReadBySkopeoAndLoadsBack()
    {
        var local = "save-oci/app:1";
        var unique = ImportUnique(local);
        var archive = Path.Combine(_config, "app-oci.tar");
        Ok("save", "--format", "oci-archive", "-o", archive, local);
        Assert.Contains("\"Layers\"", Skopeo("inspect", $"oci-archive:{archive}").Stdout, StringComparison.Ordinal);
        Ok("rmi", local);
        Assert.Contains($"Loaded image: {local}", Ok("load", "-i", archive).Out, StringComparison.Ordinal);
        Assert.Equal(unique, Ok("run", "--rm", local, "cat", "/unique").Out);
        Ok("rmi", local);
    }

    [Fact]
    public void Pull_CorruptedBlob_FailsAndStoresNoImage()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/bad/app:1";
        ImportUnique(reference);
        Ok("push", reference);
        Ok("rmi", reference);

        var raw = Skopeo("inspect", "--raw", "--tls-verify=false", $"docker://{reference}").Stdout;
        var layer = JsonDocument.Parse(raw).RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!["sha256:".Length..];
        var blob = registry.BlobFile(layer);
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);

        var before = ImageCount();
        var pull = Anchor("pull", reference);
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("verification failed", pull.Err, StringComparison.Ordinal);
        Assert.Single(pull.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, ImageCount());
        Assert.False(File.Exists(Path.Combine(anchor.Root, "blobs", "sha256", layer)));
    }

    [Fact]
    public void Pull_UnknownTagOrBadReference_FailsWithOneLine()
    {
        using var registry = new RegistryServer();
        var missing = Anchor("pull", $"{registry.Host}/nobody/here:1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"manifest for {registry.Host}/nobody/here:1 not found: manifest unknown", missing.Err, StringComparison.Ordinal);

        var bad = Anchor("pull", "Not/A:Valid:Ref");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("invalid reference format", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BasicAuth_LoginPushPullLogout()
    {
        using var registry = new RegistryServer("alice", "s3cret");
        _chunkSize = "300000"; // the ~2 MB layer goes up in PATCH chunks
        var reference = $"{registry.Host}/basic/app:1";
        var unique = ImportUnique(reference);

        var anonymous = Anchor("push", reference);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("unauthorized", anonymous.Err, StringComparison.Ordinal);

        var wrong = Anchor(["login", "-u", "alice", "--password-stdin", registry.Host], "nope\n");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("unauthorized: incorrect username or password", wrong.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_config, "config.json")));

        var login = Anchor(["login", "-u", "alice", "--password-stdin", registry.Host], "s3cret\n");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("Login Succeeded", login.Out);
        var auth = JsonDocument.Parse(File.ReadAllText(Path.Combine(_config, "config.json"))).RootElement.GetProperty("auths").GetProperty(registry.Host).GetProperty("auth").GetString();
        Assert.Equal(Convert.ToBase64String("alice:s3cret"u8.ToArray()), auth);

        Ok("push", reference);
        Ok("rmi", reference);
        Ok("pull", reference);
        Assert.Equal(unique, Ok("run", "--rm", reference, "cat", "/unique").Out);
        Ok("rmi", reference);

        Assert.Equal($"Removing login credentials for {registry.Host}", Ok("logout", registry.Host).Out);
        Assert.NotEqual(0, Anchor("pull", reference).ExitCode);
    }

    [Fact]
    public void TokenAuth_BearerFlow_LoginPushPull()
    {
        using var tokens = new TokenServer("bob", "hunter2");
        using var registry = new RegistryServer(tokens: tokens);
        _chunkSize = "1048576";
        var reference = $"{registry.Host}/token/app:1";
        var unique = ImportUnique(reference);

        var anonymous = Anchor("push", reference);
        Assert.Equal(1, anonymous.ExitCode);

        Assert.Equal(1, Anchor(["login", "-u", "bob", "--password-stdin", registry.Host], "wrong").ExitCode);
        Assert.Equal("Login Succeeded", Ok(["login", "-u", "bob", "--password-stdin", registry.Host], "hunter2").Out);
        Ok("push", reference);
        Ok("rmi", reference);
        Ok("pull", reference);
        Assert.Equal(unique, Ok("run", "--rm", reference, "cat", "/unique").Out);
        Assert.True(tokens.Issued >= 2, $"{tokens.Issued} tokens issued");
        Ok("rmi", reference);
    }

    /// <summary>Imports busybox plus /unique (a fresh GUID) as <paramref name="reference"/>; returns the GUID.</summary>
    private string ImportUnique(string reference)
    {
        var unique = Guid.NewGuid().ToString("N");
        using var tar = new TarBuilder().CopyFrom(anchor.BusyboxTar).File("unique", unique);
        Ok(["import", "--change", "CMD [\"sh\"]", "-", reference], tar.ToArray());
        return unique;
    }

    private int ImageCount() => Ok("images", "-q", "--no-trunc").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private IDictionary<string, string?> Env => new Dictionary<string, string?>
    {
        ["ANCHOR_CONFIG"] = _config,
        ["HOME"] = _config,
        ["DOCKER_CONFIG"] = _config,
        ["ANCHOR_PUSH_CHUNK_SIZE"] = _chunkSize,
    };

    private ProcessResult Anchor(params string[] args) => ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(args), (byte[]?)null, Timeout, Env);

    private ProcessResult Anchor(string[] args, string stdin) => ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(args), stdin, Timeout, Env);

    private ProcessResult Ok(params string[] args) => Check(Anchor(args), args);

    private ProcessResult Ok(string[] args, string stdin) => Check(Anchor(args, stdin), args);

    private ProcessResult Ok(string[] args, byte[] stdin) => Check(ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(args), stdin, Timeout, Env), args);

    private static ProcessResult Check(ProcessResult result, string[] args)
    {
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)}: {result}");
        return result;
    }

    private ProcessResult Skopeo(params string[] args)
    {
        var result = ProcessRunner.Run("skopeo", args, (byte[]?)null, Timeout, new Dictionary<string, string?> { ["HOME"] = _config });
        Assert.True(result.ExitCode == 0, $"skopeo {string.Join(' ', args)}: {result}");
        return result;
    }
}
