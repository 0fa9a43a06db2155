using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// <c>python3 -m http.server</c> on 127.0.0.1 and a free port, serving a temporary directory
/// (it sends Last-Modified from the files' mtimes). Dispose kills it and deletes the directory.
/// </summary>
public sealed class FileServer : IDisposable
{
    private readonly Process _process;

    public FileServer()
    {
        Dir = Directory.CreateTempSubdirectory("anchor-http-").FullName;
        Port = RegistryServer.FreePort();
        _process = ProcessRunner.Start("python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", Dir, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var response = http.GetAsync(new Uri(Url("/"))).GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    public string Dir { get; }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }
}
