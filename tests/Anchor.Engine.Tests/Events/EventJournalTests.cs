using Anchor.Engine.Events;

namespace Anchor.Engine.Tests.Events;

/// <summary>Appending and reading the journal's files, without root.</summary>
public sealed class EventJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-events-" + Guid.NewGuid().ToString("N"));

    private static EngineEvent Event(string action) =>
        new(EngineEvent.VolumeType, action, "v", new Dictionary<string, string>(), 0);

    [Fact]
    public void Append_ThenRead_InOrderWithIncreasingTimes()
    {
        var journal = new EventJournal(_dir);
        journal.Append(Event("create"), Event("mount"));
        journal.Append(Event("destroy"));

        using var reader = EventReader.FromStart(journal);
        var events = reader.Read();

        Assert.Equal(["create", "mount", "destroy"], events.Select(e => e.Action));
        Assert.True(events[0].TimeNano <= events[1].TimeNano && events[1].TimeNano <= events[2].TimeNano);
        Assert.Equal(0x180, (int)File.GetUnixFileMode(journal.SegmentPath(1)) & 0x1FF); // 0600
    }

    [Fact]
    public void FromEnd_SeesOnlyLaterAppends()
    {
        var journal = new EventJournal(_dir);
        journal.Append(Event("create"));
        using var reader = EventReader.FromEnd(journal);
        Assert.Empty(reader.Read());

        journal.Append(Event("destroy"));

        Assert.Equal(["destroy"], reader.Read().Select(e => e.Action));
        Assert.Empty(reader.Read());
    }

    [Fact]
    public void TornRecordAtTheEnd_SkippedOnceTheNextAppendStarts()
    {
        var journal = new EventJournal(_dir);
        journal.Append(Event("create"));
        var torn = EventCodec.Encode(Event("mount"));
        File.AppendAllBytes(journal.SegmentPath(1), torn[..(torn.Length - 7)]); // a writer killed mid-write
        using var reader = EventReader.FromStart(journal);
        Assert.Equal(["create"], reader.Read().Select(e => e.Action));

        journal.Append(Event("destroy"));

        Assert.Equal(["destroy"], reader.Read().Select(e => e.Action));
        Assert.Equal(1, reader.Skipped);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
