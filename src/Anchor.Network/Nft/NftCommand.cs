using System.ComponentModel;
using System.Diagnostics;

namespace Anchor.Network.Nft;

/// <summary>
/// Drives nft(8) as docker drives iptables: <c>nft -f -</c> reads a whole transaction from stdin
/// and the kernel applies all of it or none of it (nf_tables batches are atomic).
/// </summary>
public static class NftCommand
{
    private static readonly string[] Candidates = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"];

    public static void Apply(string ruleset)
    {
        var (code, _, error) = Run(["-f", "-"], ruleset);
        if (code != 0)
        {
            throw new NftException($"nft: {FirstError(error)}");
        }
    }

    /// <summary><c>nft list WHAT</c>; null when the object (or the table) does not exist.</summary>
    public static string? List(string what)
    {
        var (code, output, _) = Run(["list", .. what.Split(' ')], null);
        return code == 0 ? output : null;
    }

    private static (int Code, string Output, string Error) Run(string[] arguments, string? input)
    {
        var psi = new ProcessStartInfo(Executable())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new NftException("cannot start nft");
        }
        catch (Win32Exception e)
        {
            throw new NftException("cannot run nft (install the nftables package; install.sh does): " + e.Message, e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
    }

    private static string Executable() =>
        Candidates.FirstOrDefault(File.Exists) ?? "nft";

    private static string FirstError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = lines.FirstOrDefault(l => l.Contains("Error:", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "failed";
        var at = error.IndexOf("Error:", StringComparison.Ordinal);
        return at >= 0 ? error[(at + 6)..].Trim() : error;
    }
}
