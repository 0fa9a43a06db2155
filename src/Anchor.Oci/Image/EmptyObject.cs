namespace Anchor.Oci.Image;

/// <summary>The <c>{}</c> values of ExposedPorts and Volumes maps.</summary>
public sealed record EmptyObject;
