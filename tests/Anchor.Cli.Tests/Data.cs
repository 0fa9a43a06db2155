using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Tests;

/// <summary>A docker-inspect-like document the template tests run against.</summary>
internal static class Data
{
    public const string InspectJson = """
        {
          "Id": "4f1c2d",
          "Name": "/web",
          "Args": ["-f", "-h", "/site"],
          "State": { "Status": "running", "Running": true, "Pid": 4242, "ExitCode": 0, "Error": "" },
          "Config": {
            "Env": ["PATH=/usr/bin", "A=1"],
            "Labels": { "b": "2", "a": "<1&>" },
            "Entrypoint": null,
            "Tty": false
          },
          "Mounts": [
            { "Type": "volume", "Source": "/var/lib/anchor/volumes/data", "Destination": "/data", "RW": true },
            { "Type": "bind", "Source": "/srv/site", "Destination": "/site", "RW": false }
          ],
          "HostConfig": { "Memory": 0, "NanoCpus": 1500000000, "Ratio": 0.5 }
        }
        """;

    public static TemplateValue Inspect => TemplateJson.Parse(InspectJson);

    public static string Run(string template, TemplateValue? data = null, MissingKeyMode mode = MissingKeyMode.Default) =>
        GoTemplate.Parse(template).Execute(data ?? Inspect, mode);

    public static string Error(string template, TemplateValue? data = null, MissingKeyMode mode = MissingKeyMode.Default) =>
        Assert.Throws<TemplateException>(() => Run(template, data, mode)).Message;
}
