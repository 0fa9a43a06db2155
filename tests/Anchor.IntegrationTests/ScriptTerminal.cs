namespace Anchor.IntegrationTests;

/// <summary>A shell command run under script(1), which gives it a terminal; the output, the exit code.</summary>
public static class ScriptTerminal
{
    public static async Task<ProcessResult> Run(string command, TimeSpan timeout)
    {
        using var process = ProcessRunner.Start("script", ["-qec", command, "/dev/null"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Keep script's stdin open until the command is done: an early EOF would hang up the terminal.
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"script did not finish within {timeout.TotalSeconds} s: {command}");
            }
        }

        process.StandardInput.Close();
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
