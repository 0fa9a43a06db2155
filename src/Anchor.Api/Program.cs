using Anchor.Api;
using Anchor.Engine;

// The same umask as the CLI's (FileModes.EngineUmask): what containers made through the API see
// must not depend on how the server was started.
Anchor.Linux.Interop.LibC.umask(Anchor.Linux.FileModes.EngineUmask);

try
{
    return ApiServer.Run(ServeOptions.Parse(args));
}
catch (EngineException e)
{
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or Anchor.Linux.LinuxException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine(Anchor.Linux.ErrorText.Of(e));
    return ExitCodes.EngineError;
}
