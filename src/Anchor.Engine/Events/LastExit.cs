using System.Globalization;

namespace Anchor.Engine.Events;

/// <summary>
/// A container's last exit code as its die event recorded it: what is left of a --rm container
/// once its record is gone (moby's wait gets the status from the container's state before the
/// removal; here the record and the event journal are the only witnesses, and the record may be gone).
/// </summary>
public static class LastExit
{
    public static int? Of(AnchorPaths paths, string containerId)
    {
        int? code = null;
        using var reader = EventReader.FromStart(new EventJournal(paths));
        foreach (var e in reader.Read())
        {
            if (e.Type == EngineEvent.ContainerType && e.Action == "die" && e.ActorId == containerId
                && e.Attributes.TryGetValue("exitCode", out var text)
                && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                code = value;
            }
        }

        return code;
    }
}
