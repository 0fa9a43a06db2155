using System.Text;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Security;

/// <summary>
/// The name of a compiled program in the cache: SHA-256 over a canonical encoding of the spec's
/// seccomp object, the libseccomp that compiles it and the native architecture. Canonical: fields in
/// a fixed order, strings and lists length-prefixed, null and empty lists told apart (flags: null
/// means SPEC_ALLOW), so equal objects give equal keys in every process and any change of a field
/// gives another key. Version 1 of the encoding is the first string; change it with the encoding.
/// </summary>
internal static class SeccompCacheKey
{
    private const string Encoding1 = "anchor seccomp program v1";

    public static string Compute(SpecSeccomp spec, string library, string architecture)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var w = new Writer();
        w.String(Encoding1);
        w.String(library);
        w.String(architecture);
        w.String(spec.DefaultAction);
        w.Optional(spec.DefaultErrnoRet);
        w.Strings(spec.Architectures);
        w.Strings(spec.Flags);
        w.OptionalString(spec.ListenerPath);
        w.OptionalString(spec.ListenerMetadata);
        var syscalls = spec.Syscalls;
        w.Count(syscalls?.Count);
        foreach (var rule in syscalls ?? [])
        {
            w.Strings(rule.Names);
            w.String(rule.Action);
            w.Optional(rule.ErrnoRet);
            var args = rule.Args;
            w.Count(args?.Count);
            foreach (var arg in args ?? [])
            {
                w.UInt32(arg.Index);
                w.UInt64(arg.Value);
                w.UInt64(arg.ValueTwo);
                w.String(arg.Op);
            }
        }

        return Convert.ToHexStringLower(w.Finish());
    }

    /// <summary>Little-endian fields batched into a buffer, then hashed.</summary>
    private sealed class Writer
    {
        private const uint Null = uint.MaxValue;
        private readonly Sha256 sha = new();
        private readonly byte[] buffer = new byte[4096];
        private int used;

        public void UInt32(uint value)
        {
            Reserve(4);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), value);
            used += 4;
        }

        public void UInt64(ulong value)
        {
            Reserve(8);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), value);
            used += 8;
        }

        public void Count(int? count) => UInt32(count is { } c ? (uint)c : Null);

        public void Optional(uint? value)
        {
            Count(value is null ? null : 1);
            if (value is { } v)
            {
                UInt32(v);
            }
        }

        public void OptionalString(string? value)
        {
            Count(value is null ? null : 1);
            if (value is not null)
            {
                String(value);
            }
        }

        public void Strings(IReadOnlyList<string>? values)
        {
            Count(values?.Count);
            foreach (var value in values ?? [])
            {
                String(value);
            }
        }

        public void String(string? value)
        {
            value ??= "";
            var most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (4 + most > buffer.Length - used)
            {
                Flush();
                if (4 + most > buffer.Length)
                {
                    var bytes = Encoding.UTF8.GetBytes(value);
                    UInt32((uint)bytes.Length);
                    Flush();
                    sha.Append(bytes);
                    return;
                }
            }

            // One pass: the bytes go after a 4-byte slot that then gets their count.
            var length = Encoding.UTF8.GetBytes(value, buffer.AsSpan(used + 4));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), (uint)length);
            used += 4 + length;
        }

        public byte[] Finish()
        {
            Flush();
            return sha.Finish();
        }

        private void Reserve(int bytes)
        {
            if (buffer.Length - used < bytes)
            {
                Flush();
            }
        }

        private void Flush()
        {
            sha.Append(buffer.AsSpan(0, used));
            used = 0;
        }
    }
}
