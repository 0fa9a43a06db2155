using System.Globalization;
using Anchor.Engine.Units;

namespace Anchor.Engine.Logs;

/// <summary>
/// A container's <c>--log-driver</c> and <c>--log-opt</c>s, checked as docker's daemon checks them
/// at create (exit 125). <c>json-file</c>: one file, unbounded unless max-size is given (then
/// max-file files, default 1). <c>local</c>: docker's defaults of its local driver (max-size 20m,
/// max-file 5); Anchor keeps it in the json-file format, which is invisible to <c>logs</c>.
/// <c>none</c>: nothing is kept, and <c>logs</c> refuses as docker's does.
/// </summary>
public sealed record LogConfig(string Driver, long MaxSize, int MaxFile)
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
            throw EngineException.Daemon(EngineErrorKind.NotFound, $"failed to create task for container: error looking up logging plugin {driver}: plugin \"{driver}\" not found");
        }

        long maxSize = driver == Local ? 20L << 20 : -1;
        var maxFile = driver == Local ? 5 : 1;
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
                case "max-size" when driver != None:
                    if (!ByteSize.TryParse(value, out maxSize))
                    {
                        throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid size: '{value}'");
                    }

                    if (driver == Local && maxSize <= 0)
                    {
                        throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "max-size must be a positive number");
                    }

                    break;
                case "max-file" when driver != None:
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out maxFile))
                    {
                        throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"strconv.Atoi: parsing \"{value}\": invalid syntax");
                    }

                    if (maxFile < 1)
                    {
                        throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "max-file cannot be less than 1");
                    }

                    break;
                case "compress" or "mode" or "max-buffer-size" or "tag" or "labels" or "labels-regex" or "env" or "env-regex" when driver == JsonFile:
                case "compress" or "mode" or "max-buffer-size" when driver == Local:
                case "mode" or "max-buffer-size" when driver == None:
                    break; // Accepted as docker accepts them; Anchor does not compress rotated files.
                default:
                    throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"unknown log opt '{key}' for {driver} log driver");
            }
        }

        if (driver == JsonFile && maxFile > 1 && maxSize <= 0)
        {
            // moby daemon/logger/jsonfilelog: rotation needs a size to rotate at.
            maxFile = 1;
        }

        return new LogConfig(driver, maxSize, maxFile);
    }
}
