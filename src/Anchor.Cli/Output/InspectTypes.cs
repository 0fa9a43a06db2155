using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Output;

/// <summary>
/// docker inspect -f runs the template over its Go structs first (docker/cli inspect/inspector.go
/// TemplateInspector.Inspect) and over the raw JSON with missingkey=error only when that fails.
/// Over the structs, a field left out of the JSON (omitempty) or null still exists with Go's zero
/// value: "" for a string, <c>[]</c> for a nil slice, <c>map[]</c> for a nil map, <c>&lt;nil&gt;</c>
/// for a nil pointer; a missing key of a map is <c>&lt;no value&gt;</c>, an unknown struct field an
/// error. This table gives the JSON the shape of docker's types (api/types ContainerJSON,
/// ImageInspect, container.Config, container.HostConfig, network.EndpointSettings).
/// </summary>
public static class InspectTypes
{
    // Kinds: S nil slice, M nil map, P nil pointer, s string, b bool, i integer, D time.Duration, T struct (no zero added).
    private static readonly (string Path, char Kind)[] ContainerConfig =
    [
        ("Hostname", 's'), ("Domainname", 's'), ("User", 's'), ("ExposedPorts", 'M'), ("Env", 'S'), ("Cmd", 'S'),
        ("Healthcheck", 'P'), ("ArgsEscaped", 'b'), ("Image", 's'), ("Volumes", 'M'), ("WorkingDir", 's'), ("Entrypoint", 'S'),
        ("NetworkDisabled", 'b'), ("MacAddress", 's'), ("OnBuild", 'S'), ("Labels", 'M'), ("StopSignal", 's'), ("StopTimeout", 'P'), ("Shell", 'S'),
        ("Healthcheck.Interval", 'D'), ("Healthcheck.Timeout", 'D'), ("Healthcheck.StartPeriod", 'D'), ("Healthcheck.StartInterval", 'D'),
    ];

    private static readonly (string Path, char Kind)[] Container =
    [
        ("", 'T'), ("Args", 'S'), ("Node", 'P'), ("ExecIDs", 'S'), ("SizeRw", 'P'), ("SizeRootFs", 'P'), ("Mounts", 'S'),
        ("State", 'T'), ("State.Health", 'P'),
        ("HostConfig", 'T'), ("HostConfig.Binds", 'S'), ("HostConfig.LogConfig", 'T'), ("HostConfig.LogConfig.Config", 'M'),
        ("HostConfig.PortBindings", 'M'), ("HostConfig.RestartPolicy", 'T'), ("HostConfig.VolumesFrom", 'S'),
        ("HostConfig.CapAdd", 'S'), ("HostConfig.CapDrop", 'S'), ("HostConfig.Dns", 'S'), ("HostConfig.DnsOptions", 'S'),
        ("HostConfig.DnsSearch", 'S'), ("HostConfig.ExtraHosts", 'S'), ("HostConfig.GroupAdd", 'S'), ("HostConfig.Links", 'S'),
        ("HostConfig.SecurityOpt", 'S'), ("HostConfig.StorageOpt", 'M'), ("HostConfig.Tmpfs", 'M'), ("HostConfig.Sysctls", 'M'),
        ("HostConfig.BlkioWeightDevice", 'S'), ("HostConfig.BlkioDeviceReadBps", 'S'), ("HostConfig.BlkioDeviceWriteBps", 'S'),
        ("HostConfig.BlkioDeviceReadIOps", 'S'), ("HostConfig.BlkioDeviceWriteIOps", 'S'), ("HostConfig.Devices", 'S'),
        ("HostConfig.DeviceCgroupRules", 'S'), ("HostConfig.DeviceRequests", 'S'), ("HostConfig.KernelMemory", 'i'),
        ("HostConfig.KernelMemoryTCP", 'i'), ("HostConfig.MemorySwappiness", 'P'), ("HostConfig.OomKillDisable", 'P'),
        ("HostConfig.PidsLimit", 'P'), ("HostConfig.Ulimits", 'S'), ("HostConfig.Mounts", 'S'), ("HostConfig.MaskedPaths", 'S'),
        ("HostConfig.ReadonlyPaths", 'S'), ("HostConfig.Init", 'P'),
        ("GraphDriver", 'T'), ("GraphDriver.Data", 'M'),
        ("Mounts.*", 'T'), ("Mounts.*.Name", 's'), ("Mounts.*.Driver", 's'),
        ("Config", 'T'),
        ("NetworkSettings", 'T'), ("NetworkSettings.Ports", 'M'), ("NetworkSettings.Ports.*", 'S'), ("NetworkSettings.Ports.*.*", 'T'),
        ("NetworkSettings.SecondaryIPAddresses", 'S'), ("NetworkSettings.SecondaryIPv6Addresses", 'S'), ("NetworkSettings.Networks", 'M'),
        ("NetworkSettings.Networks.*", 'T'), ("NetworkSettings.Networks.*.IPAMConfig", 'P'), ("NetworkSettings.Networks.*.Links", 'S'),
        ("NetworkSettings.Networks.*.Aliases", 'S'), ("NetworkSettings.Networks.*.DriverOpts", 'M'), ("NetworkSettings.Networks.*.DNSNames", 'S'),
    ];

    private static readonly (string Path, char Kind)[] Image =
    [
        ("", 'T'), ("RepoTags", 'S'), ("RepoDigests", 'S'), ("Parent", 's'), ("Comment", 's'), ("Container", 's'),
        ("ContainerConfig", 'P'), ("DockerVersion", 's'), ("Author", 's'), ("Config", 'P'), ("Variant", 's'), ("OsVersion", 's'),
        ("GraphDriver", 'T'), ("GraphDriver.Data", 'M'), ("RootFS", 'T'), ("RootFS.Layers", 'S'), ("RootFS.BaseLayer", 's'), ("Metadata", 'T'),
    ];

    /// <summary>The typed view of an inspect document, when its shape is one of docker's (container or image); null otherwise.</summary>
    public static TemplateValue? Typed(TemplateValue document)
    {
        if (document.Kind != TemplateValueKind.Object)
        {
            return null;
        }

        var root = document.AsObject;
        if (root.TryGetValue("State", out _) && root.TryGetValue("HostConfig", out _))
        {
            Apply(document, Container);
            Apply(document, ContainerConfig.Select(e => ("Config." + e.Path, e.Kind)));
            return document;
        }

        if (root.TryGetValue("RootFS", out _))
        {
            Apply(document, Image);
            foreach (var config in (string[])["Config", "ContainerConfig"])
            {
                if (root.TryGetValue(config, out var value) && value.Kind == TemplateValueKind.Object)
                {
                    Apply(document, [(config, 'T'), .. ContainerConfig.Select(e => (config + "." + e.Path, e.Kind))]);
                }
            }

            return document;
        }

        return null;
    }

    private static void Apply(TemplateValue root, IEnumerable<(string Path, char Kind)> table)
    {
        foreach (var (path, kind) in table)
        {
            var segments = path.Length == 0 ? [] : path.Split('.');
            if (kind == 'T')
            {
                foreach (var target in Walk(root, segments))
                {
                    if (target.Kind == TemplateValueKind.Object)
                    {
                        target.AsObject.MarkStruct("struct");
                    }
                }

                continue;
            }

            foreach (var parent in Walk(root, segments[..^1]))
            {
                if (parent.Kind != TemplateValueKind.Object)
                {
                    continue;
                }

                var obj = parent.AsObject;
                var key = segments[^1];
                if (key == "*")
                {
                    foreach (var name in obj.Keys.ToList())
                    {
                        if (obj[name].IsNull && obj[name].NilText is null)
                        {
                            obj[name] = Zero(kind);
                        }
                    }
                }
                else if (kind == 'D' && obj.TryGetValue(key, out var duration) && duration.Kind == TemplateValueKind.Integer)
                {
                    obj[key] = TemplateValue.Duration(duration.AsInteger);
                }
                else if (!obj.TryGetValue(key, out var value))
                {
                    obj.AddOmitted(key, Zero(kind));
                }
                else if (value.IsNull && value.NilText is null)
                {
                    obj[key] = Zero(kind);
                }
            }
        }
    }

    /// <summary>The values at the path: "*" is every value of an object or element of an array.</summary>
    private static IEnumerable<TemplateValue> Walk(TemplateValue value, ArraySegment<string> segments)
    {
        if (segments.Count == 0)
        {
            return [value];
        }

        var head = segments[0];
        var rest = segments[1..];
        return (value.Kind, head) switch
        {
            (TemplateValueKind.Object, "*") => value.AsObject.Select(e => e.Value).ToList().SelectMany(v => Walk(v, rest)),
            (TemplateValueKind.Array, "*") => value.AsArray.SelectMany(v => Walk(v, rest)),
            (TemplateValueKind.Object, _) when value.AsObject.TryGetValue(head, out var child) => Walk(child, rest),
            _ => [],
        };
    }

    private static TemplateValue Zero(char kind) => kind switch
    {
        'S' => TemplateValue.NilSlice,
        'M' => TemplateValue.NilMap,
        'P' => TemplateValue.NilPointer,
        'b' => TemplateValue.False,
        'i' => TemplateValue.From(0L),
        'D' => TemplateValue.Duration(0),
        _ => TemplateValue.EmptyString,
    };
}
