using Anchor.Engine.Run;
using Anchor.Engine.State;

namespace Anchor.Engine.Tests;

public sealed class RunWarmupTests
{
    /// <summary>
    /// The warm-up creates the record writer's type infos ahead of the first write; a type that the
    /// record no longer holds would be warmed for nothing (an earlier list named uint?, which made the
    /// warm-up throw and skip the types after it).
    /// </summary>
    [Fact]
    public void EveryWarmedType_IsOneTheRecordWriterKnows()
    {
        foreach (var type in RunWarmup.RecordTypes)
        {
            Assert.True(RecordWriteJsonContext.Default.Options.TryGetTypeInfo(type, out var info), $"{type} is not in RecordWriteJsonContext");
            Assert.Equal(type, info!.Type);
        }
    }
}
