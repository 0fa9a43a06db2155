namespace Anchor.Engine.Events;

/// <summary>
/// One event as docker's API reports it (moby api/types/events.Message): what happened
/// (<see cref="Type"/> container, image, network, volume; <see cref="Action"/> start, die, pull …),
/// to what (<see cref="ActorId"/> and its <see cref="Attributes"/>: name, image, exitCode …), when
/// (<see cref="TimeNano"/>, nanoseconds since the Unix epoch). The scope is always "local".
/// </summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, long TimeNano)
{
    public const string ContainerType = "container";
    public const string ImageType = "image";
    public const string NetworkType = "network";
    public const string VolumeType = "volume";

    /// <summary>docker's time field: whole seconds.</summary>
    public long Time => TimeNano / 1_000_000_000;
}
