using System.Globalization;
using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Monitor;

/// <summary>
/// An idle monitor's resident memory: start-up runs a good part of the binary (parsing the
/// bundle, the record, the launch), whose code and data pages then stay mapped in the monitor for
/// the container's whole life although the relay touches a few of them. Once the container runs,
/// the monitor unmaps the pages of its binary that are still the page cache's (madvise(2)
/// MADV_DONTNEED: the page cache keeps them for every other anchor process, and a page is mapped
/// again when touched); and the garbage heap is collected and shrunk. Only those pages: a page the process has written (relocations, statics: a
/// private copy, "file-page" clear in /proc/self/pagemap, proc(5)) would lose its contents.
/// Runs while no other thread of ours runs managed code (before the health thread starts; the
/// collection waits for the finalizers), and touches no static data
/// between reading pagemap and the madvise calls, so no page can become private meanwhile.
/// </summary>
internal static unsafe class MonitorMemory
{
    private const int PageSize = 4096;
    private const ulong Present = 1UL << 63;
    private const ulong FilePage = 1UL << 61;

    public static void Trim()
    {
        // Start-up's garbage goes, and the heap's emptied regions go back to the kernel
        // (GCCollectionMode.Aggressive decommits what it can) instead of staying resident.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var exe = Environment.ProcessPath;
        if (exe is null)
        {
            return;
        }

        string[] maps;
        try
        {
            maps = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            return;
        }

        var ranges = new List<(ulong Start, ulong End)>();
        foreach (var line in maps)
        {
            // "start-end perms offset dev inode path": private mappings of the binary itself.
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 6 && fields[5] == exe && fields[1].EndsWith('p'))
            {
                var range = fields[0].Split('-');
                ranges.Add((ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }

        var pagemap = LibC.open("/proc/self/pagemap", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (pagemap < 0)
        {
            return;
        }

        try
        {
            foreach (var (start, end) in ranges)
            {
                Drop(pagemap, start, end);
            }
        }
        finally
        {
            LibC.close(pagemap);
        }
    }

    private static void Drop(int pagemap, ulong start, ulong end)
    {
        var pages = (nuint)((end - start) / PageSize);
        var entries = (ulong*)NativeMemory.Alloc(pages * sizeof(ulong));
        try
        {
            var bytes = (nint)(pages * sizeof(ulong));
            if (LibC.pread(pagemap, (byte*)entries, bytes, (long)(start / PageSize * sizeof(ulong))) != bytes)
            {
                return;
            }

            nuint run = 0;
            for (nuint i = 0; i <= pages; i++)
            {
                var shared = i < pages && (entries[i] & (Present | FilePage)) == (Present | FilePage);
                if (shared)
                {
                    continue;
                }

                if (i > run)
                {
                    // Best effort: a failure leaves the pages mapped, nothing else.
                    _ = LibC.madvise((void*)(start + (run * PageSize)), (i - run) * PageSize, LibC.MADV_DONTNEED);
                }

                run = i + 1;
            }
        }
        finally
        {
            NativeMemory.Free(entries);
        }
    }
}
