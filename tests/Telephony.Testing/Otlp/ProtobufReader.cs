namespace Telephony.Testing.Otlp;

/// <summary>
/// Just enough of the protobuf wire format to read OTLP export requests: fields as (number, wire type) with
/// varints, fixed 32/64-bit values and length-delimited payloads (nested messages, strings, bytes).
/// </summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end.</summary>
    public bool Next()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        var key = ReadVarint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        return true;
    }

    /// <summary>The current length-delimited field's bytes.</summary>
    public ReadOnlySpan<byte> Bytes()
    {
        if (WireType != 2)
        {
            throw new InvalidDataException($"field {Field} has wire type {WireType}, not length-delimited");
        }

        var length = checked((int)ReadVarint());
        var value = _data.Slice(_position, length);
        _position += length;
        return value;
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    public ulong Varint() => WireType == 0 ? ReadVarint() : throw new InvalidDataException($"field {Field} is not a varint");

    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _position += 8;
                break;
            case 2:
                Bytes();
                break;
            case 5:
                _position += 4;
                break;
            default:
                throw new InvalidDataException($"unsupported wire type {WireType}");
        }
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }
}
