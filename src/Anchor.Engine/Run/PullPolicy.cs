namespace Anchor.Engine.Run;

/// <summary><c>run/create --pull</c> (docker/cli container/create.go): when the image is pulled.</summary>
public enum PullPolicy
{
    /// <summary>Only when it is not in the store (docker's default).</summary>
    Missing,

    /// <summary>Before every create, whether it is there or not.</summary>
    Always,

    /// <summary>Never: a missing image is an error.</summary>
    Never,
}
