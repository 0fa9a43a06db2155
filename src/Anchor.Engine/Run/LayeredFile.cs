using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Run;

/// <summary>
/// Reads a file of an image without mounting it: the topmost layer directory that has the path
/// wins, and an overlay whiteout (a character device) there means the file was deleted.
/// </summary>
public static class LayeredFile
{
    public static string[]? ReadLines(IReadOnlyList<string> layersTopFirst, string path)
    {
        var relative = path.TrimStart('/');
        foreach (var layer in layersTopFirst)
        {
            var candidate = Path.Combine(layer, relative);
            var type = Sys.FileType(candidate);
            if (type == 0)
            {
                continue;
            }

            // A regular file is the answer; a whiteout or anything else hides the lower layers.
            return type == LibC.S_IFREG ? File.ReadAllLines(candidate) : null;
        }

        return null;
    }
}
