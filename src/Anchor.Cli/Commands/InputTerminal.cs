namespace Anchor.Cli.Commands;

/// <summary>
/// docker/cli's streams.In.CheckTty: a container terminal with stdin attached needs a terminal on
/// anchor's own stdin; a redirected or piped stdin is refused (exit 1), as `docker run -it` and
/// `docker exec -it` refuse it.
/// </summary>
public static class InputTerminal
{
    public static void Check(bool attachStdin, bool tty)
    {
        if (tty && attachStdin && Anchor.Linux.Interop.LibC.isatty(0) != 1)
        {
            throw new ClientSideException("the input device is not a TTY");
        }
    }
}
