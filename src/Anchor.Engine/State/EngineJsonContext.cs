using System.Text.Json.Serialization;
using Anchor.Engine.Containers;

namespace Anchor.Engine.State;

/// <summary>Source-generated JSON for the engine's own records.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(Anchor.Engine.Volumes.VolumeRecord))]
[JsonSerializable(typeof(Anchor.Engine.Run.RunOptions))]
[JsonSerializable(typeof(Anchor.Engine.Networks.NetworkState))]
public sealed partial class EngineJsonContext : JsonSerializerContext;
