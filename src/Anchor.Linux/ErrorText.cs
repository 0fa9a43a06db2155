using System.Text;
using System.Text.RegularExpressions;

namespace Anchor.Linux;

/// <summary>
/// The one line a user reads for a failure. The NativeAOT binary is built with
/// UseSystemResourceKeys (the framework's message strings are left out), so an exception thrown
/// by the framework carries its resource key and arguments ("IO_PathNotFound_Path, /x",
/// "Arg_NullReferenceException") instead of a sentence. Such a message is never shown as it is:
/// it is said again from the exception's type and arguments, or, inside a message of our own,
/// the key is replaced by what it means.
/// </summary>
public static partial class ErrorText
{
    /// <summary>What to print for <paramref name="e"/>: its own message when it is a sentence.</summary>
    public static string Of(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        // Only the framework's own exceptions carry bare keys; ours always hold a sentence.
        var framework = e.GetType().Namespace?.StartsWith("System", StringComparison.Ordinal) == true;
        var whole = WholeKey().Match(message);
        if (!framework || !whole.Success)
        {
            return Scrub(message);
        }

        var key = whole.Groups["key"].Value;
        var args = whole.Groups["args"].Success ? whole.Groups["args"].Value : null;
        string Detail(string what, string? subject) => subject is { Length: > 0 } ? $"{what}: {subject}" : what;
        return e switch
        {
            FileNotFoundException notFound => Detail("no such file or directory", notFound.FileName ?? args),
            DirectoryNotFoundException => Detail("no such file or directory", args),
            PathTooLongException => Detail("file name too long", args),
            UnauthorizedAccessException => Detail("permission denied", args),
            IOException => Detail(Phrase(key), args),
            OutOfMemoryException => "out of memory",
            // Not the user's doing: a bug. Say so in one line; --debug prints the stack.
            _ => $"internal error: {Detail(Phrase(key), args)} (run with --debug for details)",
        };
    }

    /// <summary>
    /// The reason alone ("no such file or directory"), for a caller that names the path itself,
    /// as Go's PathError does ("open x.tar: no such file or directory").
    /// </summary>
    public static string ReasonOf(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
            PathTooLongException => "file name too long",
            UnauthorizedAccessException => "permission denied",
            IOException when WholeKey().Match(e.Message) is { Success: true } whole => Phrase(whole.Groups["key"].Value),
            _ => Of(e),
        };
    }

    /// <summary>Replaces every framework resource key inside <paramref name="message"/> by its meaning.</summary>
    public static string Scrub(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Contains('_', StringComparison.Ordinal)
            ? EmbeddedKey().Replace(message, m => Phrase(m.Value))
            : message;
    }

    /// <summary>The meaning of a resource key: the common ones as errno wording, the rest from the key's words.</summary>
    private static string Phrase(string key) => key switch
    {
        "IO_FileNotFound" or "IO_FileNotFound_FileName" or "IO_PathNotFound_Path" or "IO_PathNotFound_NoPathName" => "no such file or directory",
        "UnauthorizedAccess_IODenied_Path" or "UnauthorizedAccess_IODenied_NoPathName" => "permission denied",
        "IO_FileExists_Name" => "file exists",
        "IO_PathTooLong" or "IO_PathTooLong_Path" => "file name too long",
        "IO_SharingViolation_File" or "IO_SharingViolation_NoFileName" => "the file is in use by another process",
        "IO_FileTooLarge" => "file too large",
        "IO_EOF_ReadBeyondEOF" => "unexpected end of file",
        "Arg_NullReferenceException" => "null reference",
        "Arg_InvalidOperationException" => "invalid operation",
        "Arg_OutOfMemoryException" => "out of memory",
        "Arg_ArgumentException" => "invalid argument",
        "Arg_ArgumentOutOfRangeException" or "ArgumentOutOfRange_Index" => "argument out of range",
        "Arg_IndexOutOfRangeException" => "index out of range",
        "Arg_KeyNotFound" or "Arg_KeyNotFoundWithKey" => "key not found",
        "Arg_InvalidCastException" => "invalid cast",
        "Arg_FormatException" or "Format_InvalidString" => "invalid format",
        "Arg_OverflowException" => "arithmetic overflow",
        "ObjectDisposed_Generic" or "ObjectDisposed_ObjectName_Name" => "used after being closed",
        _ => Words(key),
    };

    /// <summary>"InvalidOperation_EnumFailedVersion" → "invalid operation: enum failed version".</summary>
    private static string Words(string key)
    {
        var text = new StringBuilder();
        foreach (var segment in key.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            if (text.Length > 0)
            {
                text.Append(": ");
            }

            for (var i = 0; i < segment.Length; i++)
            {
                if (i > 0 && char.IsUpper(segment[i]) && !char.IsUpper(segment[i - 1]))
                {
                    text.Append(' ');
                }

                text.Append(char.ToLowerInvariant(segment[i]));
            }
        }

        return text.ToString();
    }

    // SR.Format without resources: "Key" or "Key, arg1, arg2". A sentence has a space before any comma.
    [GeneratedRegex(@"^(?<key>[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)(?:, (?<args>.*))?$", RegexOptions.Singleline)]
    private static partial Regex WholeKey();

    // Keys of the framework's exception families, as they appear inside a message we composed.
    [GeneratedRegex(@"\b(?:Arg|Argument|ArgumentNull|ArgumentOutOfRange|IO|UnauthorizedAccess|InvalidOperation|NotSupported|ObjectDisposed|Format|Overflow|Arithmetic|InvalidCast|PlatformNotSupported|Serialization|Security|Threading|Net|net)_[A-Za-z0-9_]+\b")]
    private static partial Regex EmbeddedKey();
}
