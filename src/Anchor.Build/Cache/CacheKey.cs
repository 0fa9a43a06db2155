using System.Text;
using Anchor.Oci;

namespace Anchor.Build.Cache;

/// <summary>
/// What makes a step reusable (docker's classic builder, builder/dockerfile/imagecontext + tarsum):
/// the parent image ID, the instruction after expansion, the build args in scope for a RUN, and for
/// COPY/ADD the digest of the copied files' contents and metadata.
/// </summary>
public static class CacheKey
{
    public static string Compute(string parentId, string instruction, IEnumerable<string>? buildArgs = null, string? contentDigest = null)
    {
        var text = new StringBuilder()
            .Append("parent ").Append(parentId).Append('\n')
            .Append("step ").Append(instruction).Append('\n');
        foreach (var arg in (buildArgs ?? []).Order(StringComparer.Ordinal))
        {
            text.Append("arg ").Append(arg).Append('\n');
        }

        if (contentDigest is not null)
        {
            text.Append("content ").Append(contentDigest).Append('\n');
        }

        return Digest.Sha256(Encoding.UTF8.GetBytes(text.ToString())).Encoded;
    }
}
