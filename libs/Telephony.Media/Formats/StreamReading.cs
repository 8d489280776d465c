namespace Telephony.Media.Formats;

internal static class StreamReading
{
    /// <summary>Reads until the buffer is full or the stream ends; returns the byte count read.</summary>
    public static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Skips bytes by seeking when possible, otherwise by reading; false when the stream ends first.</summary>
    public static bool Skip(Stream stream, long count)
    {
        if (count <= 0)
        {
            return true;
        }

        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length)
            {
                return false;
            }

            stream.Seek(count, SeekOrigin.Current);
            return true;
        }

        Span<byte> scratch = stackalloc byte[4096];
        while (count > 0)
        {
            var read = stream.Read(scratch[..(int)Math.Min(count, scratch.Length)]);
            if (read == 0)
            {
                return false;
            }

            count -= read;
        }

        return true;
    }
}
