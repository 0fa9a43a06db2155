namespace Anchor.Build.Context;

/// <summary>What a file system entry is, from its lstat(2) mode.</summary>
public enum EntryKind
{
    File,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}
