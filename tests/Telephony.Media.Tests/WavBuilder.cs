using System.Buffers.Binary;

namespace Telephony.Media.Tests;

/// <summary>Hand-builds WAV files with any header layout, including the odd ones real tools write.</summary>
internal sealed class WavBuilder
{
    private readonly List<(string Id, byte[] Body)> _chunks = [];

    public uint? RiffSizeOverride { get; set; }

    public WavBuilder Format(ushort tag, int channels, int sampleRate, int bits, bool extensible = false)
    {
        var body = new byte[extensible ? 40 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(body, extensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8), sampleRate * channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), (ushort)bits);
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), 0);
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(24), tag);
        }

        _chunks.Add(("fmt ", body));
        return this;
    }

    public WavBuilder Chunk(string id, byte[] body)
    {
        _chunks.Add((id, body));
        return this;
    }

    public byte[] Build(uint? dataSizeOverride = null)
    {
        using var memory = new MemoryStream();
        Span<byte> four = stackalloc byte[4];
        memory.Write("RIFF"u8);
        memory.Write(four); // patched below
        memory.Write("WAVE"u8);
        foreach (var (id, body) in _chunks)
        {
            memory.Write(System.Text.Encoding.ASCII.GetBytes(id));
            var size = id == "data" && dataSizeOverride is { } forced ? forced : (uint)body.Length;
            BinaryPrimitives.WriteUInt32LittleEndian(four, size);
            memory.Write(four);
            memory.Write(body);
            if (body.Length % 2 == 1)
            {
                memory.WriteByte(0);
            }
        }

        var bytes = memory.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), RiffSizeOverride ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Pcm16(float[] samples, int channels = 1)
    {
        var bytes = new byte[samples.Length * 2 * channels];
        for (var i = 0; i < samples.Length; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(((i * channels) + c) * 2), (short)Math.Round(samples[i] * 32767));
            }
        }

        return bytes;
    }
}

/// <summary>A read-only stream that cannot seek, like a pipe from a child process.</summary>
internal sealed class PipeLikeStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _inner.Dispose();
        base.Dispose(disposing);
    }
}
