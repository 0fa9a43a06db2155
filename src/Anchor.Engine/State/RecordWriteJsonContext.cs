using System.Text.Json.Serialization;
using Anchor.Engine.Containers;

namespace Anchor.Engine.State;

/// <summary>
/// The container record's writer only: serialization-mode source generation emits a handler that
/// writes the JSON directly (Utf8JsonWriter), so a write configures no property metadata. Building
/// that metadata (<see cref="EngineJsonContext"/>) costs NativeAOT about 1.5 ms of reflection over
/// the record's types on first use, which every `anchor run` paid. Same options as that context,
/// so the output is identical; reading still goes through it.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ContainerRecord))]
public sealed partial class RecordWriteJsonContext : JsonSerializerContext;
