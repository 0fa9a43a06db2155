using System.Text;
using Anchor.Linux;

namespace Anchor.Engine.Containers;

/// <summary>
/// The name index: ROOT/container-names/NAME holds the ID of the container that has the name, so
/// that create, rename and every lookup by name read one small file instead of parsing every
/// container's record. Changed only under the containers lock. The record stays the truth: an
/// entry whose container does not exist or no longer has the name (a crash between the two
/// writes) counts as free, which is why a name is claimed before the record is written.
/// </summary>
internal sealed class ContainerNames(string directory)
{
    public bool Exists => Directory.Exists(directory);

    /// <summary>The ID the index gives for <paramref name="name"/>, or null.</summary>
    public string? Owner(string name)
    {
        // Most lookups are of a free name (run --name, create): no exception for the missing file.
        return Sys.TryReadSmallText(Path.Combine(directory, name))?.Trim();
    }

    public void Claim(string name, string id)
    {
        PrivateDirectory.Create(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, name), Encoding.ASCII.GetBytes(id), durable: false);
    }

    /// <summary>Drops the entry if it still names <paramref name="id"/>.</summary>
    public void Release(string name, string id)
    {
        if (Owner(name) == id)
        {
            File.Delete(Path.Combine(directory, name));
        }
    }

    /// <summary>Builds the index of a store made before it existed (one pass over the records, then a rename).</summary>
    public void Build(IEnumerable<ContainerRecord> records)
    {
        var temporary = directory + ".building";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        PrivateDirectory.Create(temporary);
        foreach (var record in records)
        {
            File.WriteAllText(Path.Combine(temporary, record.Name), record.Id, Encoding.ASCII);
        }

        Directory.Move(temporary, directory);
    }
}
