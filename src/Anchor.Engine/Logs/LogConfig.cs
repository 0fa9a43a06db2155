using System.Globalization;
using Anchor.Engine.Units;

namespace Anchor.Engine.Logs;

/// <summary>
/// A container's <c>--log-driver</c> and <c>--log-opt</c>s, checked as docker's daemon checks them
/// (exit 125): the driver and the option names at create, the values when the driver starts with
/// the container (refused here before anything exists, worded as the start's failure). <c>json-file</c>: one file, unbounded unless max-size is given (then
/// max-file files, default 1). <c>local</c>: docker's defaults of its local driver (max-size 20m,
/// max-file 5, rotated files compressed); Anchor keeps it in the json-file format, which is
/// invisible to <c>logs</c>. <c>none</c>: nothing is kept, and <c>logs</c> refuses as docker's does.
/// <paramref name="Compress"/>: rotated files are gzipped (moby loggerutils: ID-json.log.1.gz …).
/// </summary>
public sealed record LogConfig(string Driver, long MaxSize, int MaxFile, bool Compress = false)
{
    public const string JsonFile = "json-file";
    public const string Local = "local";
    public const string None = "none";

    public static LogConfig Default { get; } = new(JsonFile, -1, 1);

    public bool Keeps => Driver != None;

    public static LogConfig Parse(string? driver, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        driver = string.IsNullOrEmpty(driver) ? JsonFile : driver;
        if (driver is not (JsonFile or Local or None))
        {
            // docker 20.10's create (logger.ValidateLogOpts looks the driver up).
            throw EngineException.Daemon(EngineErrorKind.NotFound, $"error looking up logging plugin {driver}: plugin \"{driver}\" not found");
        }

        long maxSize = driver == Local ? 20L << 20 : -1;
        var maxFile = driver == Local ? 5 : 1;
        // moby's local driver compresses by default; json-file only when asked.
        var compress = driver == Local;
        string? mode = null;
        string? maxBuffer = null;
        foreach (var option in options)
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EngineException($"invalid key value pair format in logging opts");
            }

            var (key, value) = (option[..eq], option[(eq + 1)..]);
            switch (key)
            {
                case var _ when driver == None:
                    break; // moby's ValidateLogOpts takes any option for "none" (and uses none).
                case "max-size":
                    if (!ByteSize.TryParse(value, out maxSize))
                    {
                        throw StartFailure($"invalid size: '{value}'");
                    }

                    if (driver == Local && maxSize <= 0)
                    {
                        throw StartFailure("max-size must be a positive number");
                    }

                    break;
                case "max-file":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out maxFile))
                    {
                        throw StartFailure($"strconv.Atoi: parsing \"{value}\": invalid syntax");
                    }

                    if (maxFile < 1)
                    {
                        throw StartFailure("max-file cannot be less than 1");
                    }

                    break;
                case "compress":
                    compress = Security.SecurityOptions.ParseBool(value)
                        ?? throw StartFailure((driver == Local ? "error reading compress log option: " : "") + $"strconv.ParseBool: parsing \"{value}\": invalid syntax");
                    break;
                case "mode":
                    mode = value;
                    break;
                case "max-buffer-size":
                    maxBuffer = value;
                    break;
                case "tag" or "labels" or "labels-regex" or "env" or "env-regex" when driver == JsonFile:
                    break; // Accepted as docker accepts them; they only decorate entries Anchor does not write.
                default:
                    // The two drivers word it differently (moby jsonfilelog and local ValidateLogOpt).
                    throw EngineException.Daemon(EngineErrorKind.InvalidParameter, driver == JsonFile
                        ? $"unknown log opt '{key}' for json-file log driver"
                        : $"unknown log opt '{key}' for log driver {driver}");
            }
        }

        if (driver != None)
        {
            CheckMode(mode, maxBuffer);
        }

        if (driver == JsonFile && maxFile > 1 && maxSize <= 0)
        {
            // moby daemon/logger/jsonfilelog: rotation needs a size to rotate at.
            maxFile = 1;
        }

        if (compress && driver == JsonFile && (maxFile < 2 || maxSize <= 0))
        {
            throw StartFailure("compress cannot be true when max-file is less than 2 or max-size is not set");
        }

        if (compress && driver == Local && maxFile < 2)
        {
            throw StartFailure("compression cannot be enabled when max file count is 1");
        }

        return new LogConfig(driver, maxSize, maxFile, compress && driver != None);
    }

    /// <summary>moby daemon/logger ValidateLogOpts: the options every driver but none shares.</summary>
    private static void CheckMode(string? mode, string? maxBuffer)
    {
        if (mode is not (null or "" or "blocking" or "non-blocking"))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"logger: logging mode not supported: {mode}");
        }

        if (maxBuffer is null)
        {
            return;
        }

        if (mode != "non-blocking")
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "logger: max-buffer-size option is only supported with 'mode=non-blocking'");
        }

        if (!ByteSize.TryParse(maxBuffer, out _))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"error parsing option max-buffer-size: invalid size: '{maxBuffer}'");
        }
    }

    /// <summary>
    /// What the driver says when the daemon starts it (moby container.startLogging, docker 20.10:
    /// later versions add "failed to create task for container: "), at create here; no usage hint.
    /// </summary>
    private static EngineException StartFailure(string reason) =>
        EngineException.Daemon(EngineErrorKind.InvalidParameter, $"failed to initialize logging driver: {reason}").AtStart();
}
