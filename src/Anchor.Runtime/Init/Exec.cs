using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>execve(2) with managed string arrays marshalled to NULL-terminated C arrays.</summary>
public static unsafe class Exec
{
    public static void Execve(string path, IReadOnlyList<string> args, IReadOnlyList<string> env)
    {
        var argv = ToCArray(args);
        var envp = ToCArray(env);
        LibC.execve(path, argv, envp);
        var errno = Sys.LastErrno;
        var code = errno is LibC.ENOENT ? InitExitCodes.NotFound : InitExitCodes.CannotInvoke;
        var reason = new LinuxException(errno, "exec", $"\"{args[0]}\"").Message;
        throw new InitFailureException(code, reason);
    }

    // Never freed: on success the process image is replaced, on failure init exits right away.
    private static nint* ToCArray(IReadOnlyList<string> items)
    {
        var array = (nint*)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < items.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(items[i]);
        }

        array[items.Count] = 0;
        return array;
    }
}
