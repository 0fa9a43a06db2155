using System.Collections.Concurrent;
using Anchor.Engine;

namespace Anchor.Api;

/// <summary>The server's exec instances by ID.</summary>
public sealed class ExecInstances
{
    private readonly ConcurrentDictionary<string, ExecInstance> _byId = new(StringComparer.Ordinal);

    public void Add(ExecInstance exec) => _byId[exec.Id] = exec;

    /// <summary>The instance, or docker's 404 (moby daemon/exec.go getExecConfig: "No such exec instance: ID").</summary>
    public ExecInstance Find(string id) =>
        _byId.TryGetValue(id, out var exec) ? exec : throw new EngineException($"No such exec instance: {id}") { Kind = EngineErrorKind.NotFound };
}
