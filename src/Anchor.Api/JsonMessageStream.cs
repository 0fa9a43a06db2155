using System.Buffers;
using System.Text.Json;
using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// docker's JSON message stream (moby pkg/jsonmessage, pkg/streamformatter): one JSON object per
/// line — <c>{"status", "id", "progressDetail"}</c>, <c>{"stream"}</c>, <c>{"aux"}</c>, and
/// <c>{"errorDetail": {"message"}, "error"}</c> — flushed as it is written. The 200 and its
/// headers go out with the first message, so a failure before any (a missing image, a refused
/// login) is still answered with its status and docker's error body, as moby does while its
/// WriteFlusher has not flushed. Writes come from several threads (parallel layer pulls).
/// </summary>
public sealed class JsonMessageStream(HttpContext context)
{
    private readonly Lock _lock = new();

    public bool Started { get; private set; }

    /// <summary>Runs <paramref name="work"/>; a failure after the stream began becomes its last message (the client shows it and exits non-zero).</summary>
    public void Run(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            work();
        }
        catch (Exception e) when (Started && e is not OperationCanceledException)
        {
            Error(e is EngineException known ? known.Message : Anchor.Linux.ErrorText.Of(e), e is EngineException { ExitCode: > 0 and not ExitCodes.EngineError } coded ? coded.ExitCode : null);
        }
    }

    /// <summary>{"status": TEXT, "id": ID, "progressDetail": {}}: the id and detail only for a layer's line.</summary>
    public void Status(string status, string? id = null, long? current = null, long? total = null) => Message(w =>
    {
        w.WriteString("status", status);
        if (id is not null)
        {
            w.WriteStartObject("progressDetail");
            if (current is { } c)
            {
                w.WriteNumber("current", c);
            }

            if (total is { } t and > 0)
            {
                w.WriteNumber("total", t);
            }

            w.WriteEndObject();
            w.WriteString("id", id);
        }
    });

    /// <summary>{"stream": TEXT}: output the client prints as it is (build's step log).</summary>
    public void Stream(string text) => Message(w => w.WriteString("stream", text));

    /// <summary>{"aux": {NAME: VALUE}}: data for the client, not printed (build's image ID).</summary>
    public void Aux(Action<Utf8JsonWriter> body) => Message(w =>
    {
        w.WriteStartObject("aux");
        body(w);
        w.WriteEndObject();
    });

    /// <summary>
    /// The stream's failure: docker's CLI prints the message and exits with the code (build: the
    /// failed RUN's exit status, jsonmessage.JSONError.Code; 1 when absent).
    /// </summary>
    public void Error(string message, int? code = null) => Message(w =>
    {
        w.WriteStartObject("errorDetail");
        if (code is { } c)
        {
            w.WriteNumber("code", c);
        }

        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteString("error", message);
    });

    private void Message(Action<Utf8JsonWriter> body)
    {
        // A client that went away ends the work at its next message (moby cancels the request's
        // context): a build stops instead of running its remaining steps for nobody.
        context.RequestAborted.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var response = context.Response;
            if (!Started)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                Started = true;
            }

            // One write per message, its line end included: a client that splits the stream on
            // what each read brings (docker-py's json_stream) fails on a lone "\r\n" chunk at the end.
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }

            buffer.Write("\r\n"u8);
            response.Body.Write(buffer.WrittenSpan);
            response.Body.Flush();
        }
    }
}
