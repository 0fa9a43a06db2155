using System.Runtime.InteropServices;

namespace Anchor.Linux;

/// <summary>A failed system call: the operation, the path or value it was applied to, and errno.</summary>
public sealed class LinuxException : Exception
{
    public LinuxException(int errno, string operation, string? subject)
        : base(Format(errno, operation, subject))
    {
        Errno = errno;
        Operation = operation;
        Subject = subject;
    }

    public LinuxException() : base("system call failed") { }

    public LinuxException(string message) : base(message) { }

    public LinuxException(string message, Exception inner) : base(message, inner) { }

    public int Errno { get; }

    public string Operation { get; } = "";

    public string? Subject { get; }

    /// <summary>Throws for the errno of the P/Invoke call that just failed.</summary>
    public static LinuxException FromLastError(string operation, string? subject = null) =>
        new(Marshal.GetLastPInvokeError(), operation, subject);

    private static string Format(int errno, string operation, string? subject) =>
        subject is null
            ? $"{operation}: {Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant()}"
            : $"{operation} {subject}: {Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant()}";
}
