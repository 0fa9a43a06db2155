using Anchor.Engine.Containers;
using Anchor.Linux;

namespace Anchor.Engine.Events;

/// <summary>
/// Where verbs, the foreground run and the monitor report what they did, with the actors and
/// attributes docker's daemon gives each event (moby daemon/events.go LogContainerEventWithAttributes,
/// LogImageEvent, LogNetworkEventWithAttributes, LogVolumeEvent). Best effort: a journal that
/// cannot be written (disk full, store read-only) never fails the verb that did the work.
/// </summary>
public static class EventLog
{
    public static void Emit(AnchorPaths paths, params ReadOnlySpan<EngineEvent> events) => Emit(paths.Root, events);

    /// <param name="root">The store's root (ROOT): the journal is ROOT/events.</param>
    public static void Emit(string root, params ReadOnlySpan<EngineEvent> events)
    {
        try
        {
            new EventJournal(EventJournal.DirectoryOf(root)).Append(events);
        }
        catch (Exception e) when (e is IOException or LinuxException or UnauthorizedAccessException)
        {
            // The work is done; losing its event is the lesser harm.
        }
    }

    /// <summary>A container event: the container's ID, its image as given and its name, then <paramref name="extra"/> (exitCode, signal …).</summary>
    public static EngineEvent Container(ContainerRecord record, string action, params ReadOnlySpan<(string Key, string Value)> extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["image"] = record.Image,
            ["name"] = record.Name,
        };
        foreach (var (key, value) in extra)
        {
            attributes[key] = value;
        }

        return new EngineEvent(EngineEvent.ContainerType, action, record.Id, attributes, 0);
    }

    /// <summary>An image event: docker's actor is the image ID, or for pull and push the reference, and name the reference.</summary>
    public static EngineEvent Image(string id, string name, string action) =>
        new(EngineEvent.ImageType, action, id, new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = name }, 0);

    /// <summary>A network event; connect and disconnect name the container.</summary>
    public static EngineEvent Network(string id, string name, string action, string? container = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = name, ["type"] = "bridge" };
        if (container is not null)
        {
            attributes["container"] = container;
        }

        return new EngineEvent(EngineEvent.NetworkType, action, id, attributes, 0);
    }

    /// <summary>A volume event: the actor is the volume's name, the driver always local.</summary>
    public static EngineEvent Volume(string name, string action, params ReadOnlySpan<(string Key, string Value)> extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["driver"] = "local" };
        foreach (var (key, value) in extra)
        {
            attributes[key] = value;
        }

        return new EngineEvent(EngineEvent.VolumeType, action, name, attributes, 0);
    }

    /// <summary>A container's start as docker logs it: each network connected, each volume mounted, then start.</summary>
    public static EngineEvent[] Started(ContainerRecord record) =>
    [
        .. record.Networks.Select(n => Network(n.NetworkId, n.NetworkName, "connect", record.Id)),
        .. record.Mounts.Where(m => m.Type == Volumes.MountSpec.Volume && m.Name is not null).Select(m => Volume(m.Name!, "mount",
            ("container", record.Id), ("destination", m.Destination), ("propagation", ""), ("read/write", m.ReadWrite ? "true" : "false"))),
        Container(record, "start"),
    ];

    /// <summary>A container's end: die with its exit code, then its networks disconnected and volumes unmounted.</summary>
    public static EngineEvent[] Died(ContainerRecord record, int exitCode) =>
    [
        Container(record, "die", ("exitCode", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        .. record.Networks.Select(n => Network(n.NetworkId, n.NetworkName, "disconnect", record.Id)),
        .. record.Mounts.Where(m => m.Type == Volumes.MountSpec.Volume && m.Name is not null).Select(m => Volume(m.Name!, "unmount", ("container", record.Id))),
    ];
}
