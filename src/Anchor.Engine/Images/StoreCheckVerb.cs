using System.Text.Json;
using Anchor.Images;
using Anchor.Images.Check;

namespace Anchor.Engine.Images;

/// <summary>
/// <c>anchor system check [--repair]</c>'s report: a line per problem (with --repair, what was done
/// or why nothing could be), "no problems found" when there is none. Exit 1 while a problem remains
/// (podman system check's convention: the store is not usable as it is), 0 otherwise.
/// </summary>
public static class StoreCheckVerb
{
    public const int ProblemsExitCode = 1;

    public static int Run(ImageStore store, bool repair, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        IReadOnlyList<StoreProblem> problems;
        try
        {
            problems = new ImageStoreCheck(store).Run(repair);
        }
        catch (Exception e) when (e is ImageException or JsonException or IOException)
        {
            throw new EngineException($"checking the image store: {e.Message}", ExitCodes.EngineError);
        }

        if (problems.Count == 0)
        {
            output.WriteLine("no problems found");
            return 0;
        }

        foreach (var problem in problems)
        {
            output.WriteLine(!repair ? problem.Text
                : problem.Repaired ? $"{problem.Text}: repaired: {problem.Note}"
                : $"{problem.Text}: not repaired: {problem.Note}");
        }

        var left = problems.Count(p => !p.Repaired);
        if (repair)
        {
            output.WriteLine($"{problems.Count - left} of {problems.Count} problems repaired");
        }

        return left > 0 ? ProblemsExitCode : 0;
    }
}
