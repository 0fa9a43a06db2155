using System.Text;
using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Run;
using Anchor.Runtime.Launch;

namespace Anchor.Api;

/// <summary>
/// POST /containers/{id}/exec, POST /exec/{id}/start and GET /exec/{id}/json: the process is the
/// one `anchor exec` starts (<see cref="ExecRunner.Start"/>), its stdio pipes or pty relayed over
/// the hijacked connection instead of being this process's own.
/// </summary>
public sealed class ExecEndpoints(AnchorEngine engine)
{
    private readonly ExecInstances _instances = new();

    /// <summary>The server's exec instances, which /exec/{id}/resize looks up too.</summary>
    public ExecInstances Instances => _instances;

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    /// <summary>201 {"Id"}; the container must be running (moby daemon/exec.go ContainerExecCreate).</summary>
    public async Task Create(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var root = body.RootElement;
        var record = engine.Exec.Active(Id(context));
        var command = CreateBody.Strings(root, "Cmd");
        if (command.Count == 0)
        {
            throw new BadRequestException("No exec command specified");
        }

        var options = new ExecOptions
        {
            Container = record.Id,
            Command = command,
            Interactive = CreateBody.Bool(root, "AttachStdin"),
            Tty = CreateBody.Bool(root, "Tty"),
            Env = CreateBody.Strings(root, "Env"),
            WorkingDir = NonEmpty(CreateBody.Str(root, "WorkingDir")),
            User = NonEmpty(CreateBody.Str(root, "User")),
        };
        var exec = new ExecInstance(Anchor.Engine.Containers.ContainerId.New(), record.Id, options, CreateBody.Bool(root, "AttachStdout"), CreateBody.Bool(root, "AttachStderr"));
        _instances.Add(exec);
        ApiJson.Write(context, StatusCodes.Status201Created, w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", exec.Id);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// {"Detach": true}: starts the process with /dev/null for its stdio and answers 200 at once.
    /// Otherwise the hijacked session, which ends after the process has exited and its exit code is
    /// recorded (the CLI inspects the exec for it right after).
    /// </summary>
    public async Task Start(HttpContext context)
    {
        var exec = _instances.Find(Id(context));
        var tty = exec.Options.Tty;
        var halfClose = new HalfClose();
        try
        {
            Stream? client = null;
            JsonDocument body;
            if (context.Request.Headers[UpgradeHead.Header].ToString() is { Length: > 0 } declared
                && int.TryParse(declared, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            {
                // An upgrade with a body (UpgradeHead): the body comes first on the upgraded stream.
                client = await Hijack.Begin(context, halfClose, tty);
                body = await ReadBody(client, length);
            }
            else
            {
                body = await ApiBody.Read(context);
            }

            using (body)
            {
                exec.Claim();
                if (CreateBody.Bool(body.RootElement, "Detach"))
                {
                    StartDetached(exec);
                    if (client is null)
                    {
                        context.Response.StatusCode = StatusCodes.Status200OK;
                    }
                    else
                    {
                        await client.DisposeAsync();
                    }

                    return;
                }
            }

            client ??= await Hijack.Begin(context, halfClose, tty);
            var stdio = new LaunchStdio(tty ? StdioKind.Terminal : StdioKind.Pipes, KeepStdin: exec.Options.Interactive);
            ExecSession session;
            try
            {
                session = engine.Exec.Start(exec.Options, stdio, exec.Id);
            }
            catch (EngineException e)
            {
                // docker 20.10 writes a failed start into the stdout stream, "\r\n" ended
                // (api/server/router/container/exec.go postContainerExecStart), and records 126
                // (daemon/exec.go ContainerExecStart).
                var text = Encoding.UTF8.GetBytes(e.Message + "\r\n");
                await client.WriteAsync(tty ? text : AttachFrame.Encode(AttachStream.Stdout, text), CancellationToken.None);
                exec.Ended(ExitCodes.CannotInvoke);
                await client.DisposeAsync();
                return;
            }

            using (session)
            {
                exec.Began(session.Process.Pid, session.Process.PtyMaster);
                await ExecRelay.Run(session, exec, client, halfClose.ClientClosed.Task);
            }

            await client.FlushAsync(CancellationToken.None);
            await client.DisposeAsync();
        }
        finally
        {
            halfClose.Finished.TrySetResult();
        }
    }

    private static async Task<JsonDocument> ReadBody(Stream client, int length)
    {
        var bytes = new byte[length];
        await client.ReadExactlyAsync(bytes);
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new BadRequestException(e.Message);
        }
    }

    /// <summary>GET /exec/{id}/json: swagger's ExecInspectResponse.</summary>
    public Task Inspect(HttpContext context)
    {
        var exec = _instances.Find(Id(context));
        var options = exec.Options;
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("ID", exec.Id);
            w.WriteBoolean("Running", exec.Running);
            if (exec.ExitCode is { } code)
            {
                w.WriteNumber("ExitCode", code);
            }
            else
            {
                w.WriteNull("ExitCode");
            }

            w.WriteStartObject("ProcessConfig");
            w.WriteBoolean("tty", options.Tty);
            w.WriteString("entrypoint", options.Command[0]);
            ApiJson.WriteStrings(w, "arguments", options.Command.Skip(1));
            w.WriteBoolean("privileged", false);
            w.WriteString("user", options.User ?? "");
            w.WriteEndObject();
            w.WriteBoolean("OpenStdin", options.Interactive);
            w.WriteBoolean("OpenStderr", exec.AttachStderr);
            w.WriteBoolean("OpenStdout", exec.AttachStdout);
            w.WriteBoolean("CanRemove", false);
            w.WriteString("ContainerID", exec.ContainerId);
            w.WriteString("DetachKeys", "");
            w.WriteNumber("Pid", exec.Pid);
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private void StartDetached(ExecInstance exec)
    {
        ExecSession session;
        try
        {
            session = engine.Exec.Start(exec.Options with { Detach = true, Interactive = false }, new LaunchStdio(StdioKind.Inherit, Quiet: true), exec.Id);
        }
        catch (EngineException)
        {
            exec.Ended(ExitCodes.CannotInvoke);
            throw;
        }

        exec.Began(session.Process.Pid);
        _ = Task.Factory.StartNew(() =>
        {
            using (session)
            {
                exec.Ended(session.Wait());
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
