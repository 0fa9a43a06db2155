using System.Globalization;

namespace Anchor.Engine.Containers;

/// <summary>Signal names and numbers as docker accepts them: KILL, SIGKILL, 9 (signal(7), x86_64).</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["BUS"] = 7, ["FPE"] = 8,
        ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15,
        ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22,
        ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29,
        ["PWR"] = 30, ["SYS"] = 31,
    };

    public static int Parse(string value)
    {
        var name = value.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? value[3..] : value;
        if (Numbers.TryGetValue(name, out var number))
        {
            return number;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is > 0 and <= 64)
        {
            return number;
        }

        // moby pkg/signal ParseSignal, called by the daemon's API router (errdefs.InvalidParameter).
        throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid signal: {value}", 1);
    }
}
