using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Anchor.Engine.Inspect;

/// <summary>
/// Writes docker's <c>docker inspect</c> object for a container (Engine API ContainerJSON) with
/// docker's field order, so scripts and <c>-f</c> templates written for docker work unchanged.
/// Go's encoding/json writes struct fields in declaration order, map keys sorted, nil slices and
/// maps as null, and <c>time.Time</c> as RFC 3339 with nanoseconds (trailing zeros dropped),
/// the zero time as "0001-01-01T00:00:00Z". Pure: no file I/O.
/// </summary>
public static class ContainerInspectWriter
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>The object as docker's CLI prints it inside <c>[ ]</c>: indented, without HTML escaping of &lt; &gt; &amp;.</summary>
    public static string ToJson(ContainerInspectData data, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, data);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter w, ContainerInspectData d)
    {
        w.WriteStartObject();
        w.WriteString("Id", d.Id);
        w.WriteString("Created", FormatTime(d.Created));
        w.WriteString("Path", d.Path);
        Strings(w, "Args", d.Args);
        WriteState(w, d.State);
        w.WriteString("Image", d.Image);
        w.WriteString("ResolvConfPath", d.ResolvConfPath);
        w.WriteString("HostnamePath", d.HostnamePath);
        w.WriteString("HostsPath", d.HostsPath);
        w.WriteString("LogPath", d.LogPath);
        w.WriteString("Name", d.Name);
        w.WriteNumber("RestartCount", d.RestartCount);
        w.WriteString("Driver", d.Driver);
        w.WriteString("Platform", d.Platform);
        w.WriteString("MountLabel", d.MountLabel);
        w.WriteString("ProcessLabel", d.ProcessLabel);
        w.WriteString("AppArmorProfile", d.AppArmorProfile);
        Strings(w, "ExecIDs", d.ExecIDs);
        WriteHostConfig(w, d.HostConfig);
        WriteGraphDriver(w, d.GraphDriver);
        if (d.Size is { } size)
        {
            // ContainerJSONBase's SizeRw and SizeRootFs: *int64 with omitempty, set by --size.
            w.WriteNumber("SizeRw", size.SizeRw);
            w.WriteNumber("SizeRootFs", size.SizeRootFs);
        }

        WriteMounts(w, d.Mounts);
        WriteConfig(w, d.Config);
        WriteNetworkSettings(w, d.NetworkSettings);
        w.WriteEndObject();
    }

    /// <summary>Go's time.Time JSON form (RFC 3339 nano, UTC "Z"), or the zero time when unset.</summary>
    public static string FormatTime(DateTimeOffset? time)
    {
        if (time is not { } t || t.UtcDateTime == DateTime.MinValue)
        {
            return ZeroTime;
        }

        var utc = t.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    private static void WriteState(Utf8JsonWriter w, ContainerStateData s)
    {
        w.WriteStartObject("State");
        w.WriteString("Status", s.Status);
        w.WriteBoolean("Running", s.Running);
        w.WriteBoolean("Paused", s.Paused);
        w.WriteBoolean("Restarting", s.Restarting);
        w.WriteBoolean("OOMKilled", s.OOMKilled);
        w.WriteBoolean("Dead", s.Dead);
        w.WriteNumber("Pid", s.Pid);
        w.WriteNumber("ExitCode", s.ExitCode);
        w.WriteString("Error", s.Error);
        w.WriteString("StartedAt", FormatTime(s.StartedAt));
        w.WriteString("FinishedAt", FormatTime(s.FinishedAt));
        if (s.Health is { } health)
        {
            WriteHealth(w, health);
        }

        w.WriteEndObject();
    }

    /// <summary>HostConfig in the order of docker's container.HostConfig struct (with Resources embedded).</summary>
    private static void WriteHostConfig(Utf8JsonWriter w, HostConfigData h)
    {
        w.WriteStartObject("HostConfig");
        Strings(w, "Binds", h.Binds);
        w.WriteString("ContainerIDFile", h.ContainerIDFile);
        w.WriteStartObject("LogConfig");
        w.WriteString("Type", h.LogType);
        w.WriteStartObject("Config");
        // A Go map[string]string: keys sorted; a repeated key keeps its last value.
        var logOptions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in h.LogOptions)
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            logOptions[eq < 0 ? option : option[..eq]] = eq < 0 ? "" : option[(eq + 1)..];
        }

        foreach (var (key, value) in logOptions)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("NetworkMode", h.NetworkMode);
        w.WriteStartObject("PortBindings");
        foreach (var group in h.PortBindings.GroupBy(p => p.PortKey))
        {
            w.WriteStartArray(group.Key);
            foreach (var binding in group)
            {
                w.WriteStartObject();
                w.WriteString("HostIp", binding.HostIp);
                w.WriteString("HostPort", binding.HostPort == 0 ? "" : binding.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteStartObject("RestartPolicy");
        w.WriteString("Name", h.RestartPolicy.Name);
        w.WriteNumber("MaximumRetryCount", h.RestartPolicy.MaximumRetryCount);
        w.WriteEndObject();
        w.WriteBoolean("AutoRemove", h.AutoRemove);
        w.WriteString("VolumeDriver", "");
        if (h.VolumesFrom is null)
        {
            w.WriteNull("VolumesFrom");
        }
        else
        {
            Strings(w, "VolumesFrom", h.VolumesFrom);
        }

        w.WriteStartArray("ConsoleSize");
        w.WriteNumberValue(0);
        w.WriteNumberValue(0);
        w.WriteEndArray();
        Strings(w, "CapAdd", h.CapAdd);
        Strings(w, "CapDrop", h.CapDrop);
        w.WriteString("CgroupnsMode", "private");
        Strings(w, "Dns", h.Dns ?? []);
        Strings(w, "DnsOptions", h.DnsOptions);
        Strings(w, "DnsSearch", h.DnsSearch);
        Strings(w, "ExtraHosts", h.ExtraHosts);
        Strings(w, "GroupAdd", h.GroupAdd);
        w.WriteString("IpcMode", h.IpcMode);
        w.WriteString("Cgroup", "");
        w.WriteNull("Links");
        w.WriteNumber("OomScoreAdj", h.OomScoreAdj);
        w.WriteString("PidMode", h.PidMode);
        w.WriteBoolean("Privileged", h.Privileged);
        w.WriteBoolean("PublishAllPorts", h.PublishAllPorts);
        w.WriteBoolean("ReadonlyRootfs", h.ReadonlyRootfs);
        Strings(w, "SecurityOpt", h.SecurityOpt);
        if (h.Tmpfs is { Count: > 0 })
        {
            Map(w, "Tmpfs", h.Tmpfs);
        }

        w.WriteString("UTSMode", h.UTSMode);
        w.WriteString("UsernsMode", h.UsernsMode);
        w.WriteNumber("ShmSize", h.ShmSize);
        if (h.Sysctls is { Count: > 0 })
        {
            Map(w, "Sysctls", h.Sysctls);
        }

        w.WriteString("Runtime", h.Runtime);
        w.WriteString("Isolation", "");
        w.WriteNumber("CpuShares", h.CpuShares);
        w.WriteNumber("Memory", h.Memory);
        w.WriteNumber("NanoCpus", h.NanoCpus);
        w.WriteString("CgroupParent", h.CgroupParent);
        w.WriteNumber("BlkioWeight", h.BlkioWeight);
        foreach (var name in (string[])["BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps"])
        {
            Strings(w, name, []);
        }

        foreach (var name in (string[])["CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime"])
        {
            w.WriteNumber(name, 0);
        }

        w.WriteString("CpusetCpus", h.CpusetCpus);
        w.WriteString("CpusetMems", h.CpusetMems);
        WriteDevices(w, h.Devices);
        Strings(w, "DeviceCgroupRules", h.DeviceCgroupRules);
        w.WriteNull("DeviceRequests");
        w.WriteNumber("MemoryReservation", h.MemoryReservation);
        w.WriteNumber("MemorySwap", h.MemorySwap);
        w.WriteNull("MemorySwappiness");
        w.WriteBoolean("OomKillDisable", h.OomKillDisable);
        if (h.PidsLimit is { } pids)
        {
            w.WriteNumber("PidsLimit", pids);
        }
        else
        {
            w.WriteNull("PidsLimit");
        }

        WriteUlimits(w, h.Ulimits);
        foreach (var name in (string[])["CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth"])
        {
            w.WriteNumber(name, 0);
        }

        Strings(w, "MaskedPaths", h.MaskedPaths);
        Strings(w, "ReadonlyPaths", h.ReadonlyPaths);
        if (h.Init is { } init)
        {
            w.WriteBoolean("Init", init);
        }

        w.WriteEndObject();
    }

    /// <summary>HostConfig.Ulimits: [{Name, Hard, Soft}] (go-units Ulimit's field order).</summary>
    private static void WriteUlimits(Utf8JsonWriter w, IReadOnlyList<Run.Ulimit> ulimits)
    {
        w.WriteStartArray("Ulimits");
        foreach (var ulimit in ulimits)
        {
            w.WriteStartObject();
            w.WriteString("Name", ulimit.Name);
            w.WriteNumber("Hard", ulimit.Hard);
            w.WriteNumber("Soft", ulimit.Soft);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>HostConfig.Devices: [{PathOnHost, PathInContainer, CgroupPermissions}] (api/types/container DeviceMapping).</summary>
    private static void WriteDevices(Utf8JsonWriter w, IReadOnlyList<Devices.DeviceMapping> devices)
    {
        w.WriteStartArray("Devices");
        foreach (var device in devices)
        {
            w.WriteStartObject();
            w.WriteString("PathOnHost", device.PathOnHost);
            w.WriteString("PathInContainer", device.PathInContainer);
            w.WriteString("CgroupPermissions", device.CgroupPermissions);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>GraphDriver is {Data, Name}; Data is a Go map, so its keys come out sorted.</summary>
    private static void WriteGraphDriver(Utf8JsonWriter w, GraphDriverData g)
    {
        w.WriteStartObject("GraphDriver");
        w.WriteStartObject("Data");
        w.WriteString("LowerDir", g.LowerDir);
        w.WriteString("MergedDir", g.MergedDir);
        w.WriteString("UpperDir", g.UpperDir);
        w.WriteString("WorkDir", g.WorkDir);
        w.WriteEndObject();
        w.WriteString("Name", g.Name);
        w.WriteEndObject();
    }

    public static void WriteMounts(Utf8JsonWriter w, IReadOnlyList<MountPointData> mounts)
    {
        w.WriteStartArray("Mounts");
        foreach (var m in mounts)
        {
            w.WriteStartObject();
            w.WriteString("Type", m.Type);
            if (!string.IsNullOrEmpty(m.Name))
            {
                w.WriteString("Name", m.Name);
            }

            w.WriteString("Source", m.Source);
            w.WriteString("Destination", m.Destination);
            if (!string.IsNullOrEmpty(m.Driver))
            {
                w.WriteString("Driver", m.Driver);
            }

            w.WriteString("Mode", m.Mode);
            w.WriteBoolean("RW", m.RW);
            w.WriteString("Propagation", m.Propagation);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Config in the order of docker's container.Config struct.</summary>
    private static void WriteConfig(Utf8JsonWriter w, ContainerConfigData c)
    {
        w.WriteStartObject("Config");
        w.WriteString("Hostname", c.Hostname);
        w.WriteString("Domainname", c.Domainname);
        w.WriteString("User", c.User);
        w.WriteBoolean("AttachStdin", c.AttachStdin);
        w.WriteBoolean("AttachStdout", c.AttachStdout);
        w.WriteBoolean("AttachStderr", c.AttachStderr);
        if (c.ExposedPorts is { Count: > 0 })
        {
            // docker: omitempty; each port maps to {}.
            w.WriteStartObject("ExposedPorts");
            foreach (var port in c.ExposedPorts)
            {
                w.WriteStartObject(port);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteBoolean("Tty", c.Tty);
        w.WriteBoolean("OpenStdin", c.OpenStdin);
        w.WriteBoolean("StdinOnce", c.StdinOnce);
        Strings(w, "Env", c.Env);
        Strings(w, "Cmd", c.Cmd);
        if (c.Healthcheck is { } healthcheck)
        {
            WriteHealthcheck(w, healthcheck);
        }

        w.WriteString("Image", c.Image);
        if (c.Volumes is null)
        {
            w.WriteNull("Volumes");
        }
        else
        {
            // map[string]struct{}: {"/data": {}}, keys sorted.
            w.WriteStartObject("Volumes");
            foreach (var volume in c.Volumes.Order(StringComparer.Ordinal))
            {
                w.WriteStartObject(volume);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteString("WorkingDir", c.WorkingDir);
        Strings(w, "Entrypoint", c.Entrypoint);
        if (!string.IsNullOrEmpty(c.MacAddress))
        {
            w.WriteString("MacAddress", c.MacAddress);
        }

        w.WriteNull("OnBuild");
        if (c.Labels is null)
        {
            w.WriteNull("Labels");
        }
        else
        {
            Map(w, "Labels", c.Labels);
        }

        if (!string.IsNullOrEmpty(c.StopSignal))
        {
            w.WriteString("StopSignal", c.StopSignal);
        }

        if (c.StopTimeout is { } stopTimeout)
        {
            // docker: *int, omitempty: present only with --stop-timeout.
            w.WriteNumber("StopTimeout", stopTimeout);
        }

        w.WriteEndObject();
    }

    /// <summary>State.Health (api/types/container.Health): Status, FailingStreak, Log of {Start, End, ExitCode, Output}.</summary>
    private static void WriteHealth(Utf8JsonWriter w, Health.ContainerHealth health)
    {
        w.WriteStartObject("Health");
        w.WriteString("Status", health.Status);
        w.WriteNumber("FailingStreak", health.FailingStreak);
        w.WriteStartArray("Log");
        foreach (var entry in health.Log)
        {
            w.WriteStartObject();
            w.WriteString("Start", FormatTime(entry.Start));
            w.WriteString("End", FormatTime(entry.End));
            w.WriteNumber("ExitCode", entry.ExitCode);
            w.WriteString("Output", entry.Output);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Config.Healthcheck (api/types/container.HealthConfig): every field omitempty, durations in nanoseconds.</summary>
    private static void WriteHealthcheck(Utf8JsonWriter w, Oci.Image.HealthConfig h)
    {
        w.WriteStartObject("Healthcheck");
        if (h.Test is { Count: > 0 })
        {
            Strings(w, "Test", h.Test);
        }

        foreach (var (name, value) in (ReadOnlySpan<(string, long)>)[("Interval", h.Interval), ("Timeout", h.Timeout), ("StartPeriod", h.StartPeriod), ("StartInterval", h.StartInterval), ("Retries", h.Retries)])
        {
            if (value != 0)
            {
                w.WriteNumber(name, value);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteNetworkSettings(Utf8JsonWriter w, NetworkSettingsData n)
    {
        var primary = n.DefaultBridge;
        w.WriteStartObject("NetworkSettings");
        w.WriteString("Bridge", "");
        w.WriteString("SandboxID", n.SandboxID);
        w.WriteString("SandboxKey", n.SandboxKey);
        w.WriteStartObject("Ports");
        foreach (var (port, bindings) in n.Ports)
        {
            if (bindings.Count == 0)
            {
                w.WriteNull(port);
                continue;
            }

            w.WriteStartArray(port);
            foreach (var binding in bindings)
            {
                w.WriteStartObject();
                w.WriteString("HostIp", binding.DisplayHostIp);
                w.WriteString("HostPort", binding.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteBoolean("HairpinMode", false);
        w.WriteString("LinkLocalIPv6Address", "");
        w.WriteNumber("LinkLocalIPv6PrefixLen", 0);
        w.WriteNull("SecondaryIPAddresses");
        w.WriteNull("SecondaryIPv6Addresses");
        w.WriteString("EndpointID", primary?.EndpointID ?? "");
        w.WriteString("Gateway", primary?.Gateway ?? "");
        w.WriteString("GlobalIPv6Address", "");
        w.WriteNumber("GlobalIPv6PrefixLen", 0);
        w.WriteString("IPAddress", primary?.IPAddress ?? "");
        w.WriteNumber("IPPrefixLen", primary?.IPPrefixLen ?? 0);
        w.WriteString("IPv6Gateway", "");
        w.WriteString("MacAddress", primary?.MacAddress ?? "");
        w.WriteStartObject("Networks");
        foreach (var network in n.Networks.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            w.WriteStartObject(network.Name);
            if (network.RequestedIp is null)
            {
                w.WriteNull("IPAMConfig");
            }
            else
            {
                w.WriteStartObject("IPAMConfig");
                w.WriteString("IPv4Address", network.RequestedIp);
                w.WriteEndObject();
            }

            w.WriteNull("Links");
            Strings(w, "Aliases", network.Aliases);
            // docker 20.10's network.EndpointSettings order: MacAddress and DriverOpts come last.
            w.WriteString("NetworkID", network.NetworkID);
            w.WriteString("EndpointID", network.EndpointID);
            w.WriteString("Gateway", network.Gateway);
            w.WriteString("IPAddress", network.IPAddress);
            w.WriteNumber("IPPrefixLen", network.IPPrefixLen);
            w.WriteString("IPv6Gateway", "");
            w.WriteString("GlobalIPv6Address", "");
            w.WriteNumber("GlobalIPv6PrefixLen", 0);
            w.WriteString("MacAddress", network.MacAddress);
            w.WriteNull("DriverOpts");
            Strings(w, "DNSNames", network.DNSNames);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
