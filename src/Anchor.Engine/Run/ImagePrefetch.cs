using Anchor.Images;

namespace Anchor.Engine.Run;

/// <summary>
/// `anchor run` resolves its image (the store's index, the image's config, the layer paths, the
/// user from the image's /etc/passwd) on the other core while System.CommandLine parses: a guess
/// made from the raw arguments, before the parse says which token is the image. The guess is the
/// first word after the verb that names an image in the store. It is used only when the parse
/// names the same image in the same store (and no other user): a wrong guess costs the other
/// core's time, never correctness. It only reads the store; it never creates or changes anything.
/// </summary>
public static class ImagePrefetch
{
    /// <summary>Words after the verb tried as image names: options' values come first on a typical line.</summary>
    private const int MaxCandidates = 8;

    private static readonly object Lock = new();
    private static bool _running;
    private static Prefetched? _result;

    private sealed record Prefetched(string Root, string Name, ResolvedImage Image, string? ImageUser);

    /// <summary>Announces a prefetch (before its thread starts): <see cref="Take"/> waits for it from now on.</summary>
    public static void Begin()
    {
        lock (Lock)
        {
            _running = true;
        }
    }

    /// <summary>Resolves the guessed image on the calling thread (the warm-up thread) and keeps it for <see cref="Take"/>; always ends what <see cref="Begin"/> announced.</summary>
    public static void Run(IReadOnlyList<string>? args)
    {
        Prefetched? result = null;
        try
        {
            if (args is null)
            {
                return; // the thread could not start: nothing to wait for
            }

            var root = AnchorPaths.Resolve(GlobalValue(args, "--root"), GlobalValue(args, "--runroot")).Root;
            if (Directory.Exists(root))
            {
                result = Resolve(new ImageStore(root), root, args);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a guess: the main thread resolves the image itself and reports what fails.
            Linux.PhaseTrace.Mark("prefetch: failed: " + e.Message);
        }
        finally
        {
            lock (Lock)
            {
                _result = result;
                _running = false;
                System.Threading.Monitor.PulseAll(Lock);
            }
        }
    }

    /// <summary>
    /// The prefetched resolution of <paramref name="name"/> in the store at <paramref name="root"/>
    /// for <paramref name="user"/> (null: the image's own), or null when the guess was another one.
    /// Waits for a prefetch still running (it is further along than starting over would be).
    /// </summary>
    public static ResolvedImage? Take(string root, string name, string? user)
    {
        Prefetched? result;
        lock (Lock)
        {
            while (_running)
            {
                System.Threading.Monitor.Wait(Lock);
            }

            result = _result;
            _result = null; // once: a later resolution in this process reads the store afresh
        }

        return result is not null && result.Root == root && result.Name == name && (user is null || user == result.ImageUser)
            ? result.Image
            : null;
    }

    private static Prefetched? Resolve(ImageStore images, string root, IReadOnlyList<string> args)
    {
        var candidates = 0;
        var afterVerb = false;
        for (var i = 0; i < args.Count && candidates < MaxCandidates; i++)
        {
            var arg = args[i];
            if (!afterVerb && arg is "--root" or "--runroot")
            {
                i++; // a global option's value, not the verb
                continue;
            }

            if (arg.StartsWith('-') || arg.Length == 0)
            {
                continue;
            }

            if (!afterVerb)
            {
                afterVerb = true; // the verb itself ("run")
                continue;
            }

            candidates++;
            if (images.Find(arg, lazy: true) is not { } image)
            {
                continue;
            }

            var layers = images.LayerPaths(image);
            var imageUser = image.Config.Config?.User;
            var (user, home) = UserResolver.Resolve(imageUser, layers);
            Linux.PhaseTrace.Mark("prefetch: image resolved");
            return new Prefetched(root, arg, new ResolvedImage(image, layers, user, home), imageUser);
        }

        return null;
    }

    /// <summary>The value of a global option (<c>--root X</c> or <c>--root=X</c>) wherever it appears; the parse decides for real.</summary>
    private static string? GlobalValue(IReadOnlyList<string> args, string name)
    {
        string? value = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == name && i + 1 < args.Count)
            {
                value = args[++i];
            }
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = args[i][(name.Length + 1)..];
            }
        }

        return value;
    }
}
