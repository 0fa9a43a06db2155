using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>Replaces this process's program (execve(2)): same pid, so a supervisor's signals reach the new program directly.</summary>
public static class ProcessImage
{
    /// <summary>Returns only when execve fails: then it throws with the errno.</summary>
    public static unsafe void Replace(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        var strings = new List<nint>();
        try
        {
            var args = stackalloc nint[argv.Count + 1];
            var env = new nint[environment.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                strings.Add(args[i] = Marshal.StringToCoTaskMemUTF8(argv[i]));
            }

            args[argv.Count] = 0;
            for (var i = 0; i < environment.Count; i++)
            {
                strings.Add(env[i] = Marshal.StringToCoTaskMemUTF8(environment[i]));
            }

            fixed (nint* envp = env)
            {
                LibC.execve(path, args, envp);
            }

            throw new LinuxException(Marshal.GetLastPInvokeError(), "execve", path);
        }
        finally
        {
            strings.ForEach(Marshal.FreeCoTaskMem);
        }
    }
}
