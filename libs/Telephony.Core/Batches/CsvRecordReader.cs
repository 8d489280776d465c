using System.Buffers;
using System.Text;

namespace Telephony.Core.Batches;

/// <summary>One CSV record and the physical line it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>A CSV body that cannot be read on (unclosed quote, oversized field…); <see cref="Line"/> is where.</summary>
public sealed class CsvFormatException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// Streams RFC 4180 CSV records from a <see cref="TextReader"/> one buffer at a time: quoted fields may hold
/// commas, doubled quotes and line breaks; CRLF, LF or CR end a record; a leading BOM and blank lines are
/// skipped. Memory is one buffer plus the current record, whose field length and count are capped.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, int maxFieldLength, int maxFields)
{
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\r\n");
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _previousCr;
    private bool _skipLf;
    private bool _started;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The next non-blank record, or null at the end of the body.</summary>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var record = await ReadRecordAsync(cancellationToken);
            if (record is null || record.Fields.Count > 1 || record.Fields[0].Length > 0)
            {
                return record;
            }
        }
    }

    private async ValueTask<CsvRecord?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var state = State.FieldStart;
        var startLine = -1;
        while (true)
        {
            if (_position == _length && !await FillAsync(cancellationToken))
            {
                if (startLine < 0)
                {
                    return null;
                }

                if (state == State.Quoted)
                {
                    throw new CsvFormatException(startLine, "A quoted field is not closed before the end of the body.");
                }

                EndField(fields);
                return new CsvRecord(startLine, fields);
            }

            if (startLine < 0)
            {
                // The previous record ended with CR: an LF right after it belongs to that line break.
                var skip = _skipLf && _buffer[_position] == '\n';
                _skipLf = false;
                if (skip)
                {
                    _position++;
                    continue;
                }

                startLine = _line;
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            switch (state)
            {
                case State.FieldStart:
                case State.Unquoted:
                    if (state == State.FieldStart && span[0] == '"')
                    {
                        state = State.Quoted;
                        _position++;
                        break;
                    }

                    var stop = span.IndexOfAny(UnquotedStops);
                    Append(span[..(stop < 0 ? span.Length : stop)], startLine);
                    if (stop < 0)
                    {
                        _position = _length;
                        state = State.Unquoted;
                        break;
                    }

                    _position += stop + 1;
                    EndField(fields);
                    if (span[stop] == ',')
                    {
                        state = State.FieldStart;
                        break;
                    }

                    EndLine(span[stop]);
                    return new CsvRecord(startLine, fields);
                case State.Quoted:
                    var special = span.IndexOfAny(QuotedStops);
                    Append(span[..(special < 0 ? span.Length : special)], startLine);
                    if (special < 0)
                    {
                        _position = _length;
                        break;
                    }

                    _position += special + 1;
                    if (span[special] == '"')
                    {
                        _previousCr = false;
                        state = State.QuoteInQuoted;
                    }
                    else
                    {
                        // A line break inside quotes is part of the value (kept as written, CRLF included).
                        var lineBreak = span[special];
                        var afterCr = _previousCr;
                        Append(span.Slice(special, 1), startLine);
                        _line += lineBreak == '\n' && afterCr ? 0 : 1;
                        _previousCr = lineBreak == '\r';
                    }

                    break;
                default:
                    var c = span[0];
                    _position++;
                    if (c == '"')
                    {
                        Append("\"", startLine);
                        state = State.Quoted;
                    }
                    else if (c == ',')
                    {
                        EndField(fields);
                        state = State.FieldStart;
                    }
                    else if (c is '\r' or '\n')
                    {
                        EndField(fields);
                        EndLine(c);
                        return new CsvRecord(startLine, fields);
                    }
                    else
                    {
                        throw new CsvFormatException(_line, "A closing quote must be followed by a comma or the end of the line.");
                    }

                    break;
            }

            if (fields.Count > maxFields)
            {
                throw new CsvFormatException(startLine, $"A record has more than {maxFields} fields.");
            }
        }
    }

    /// <summary>A record ended with <paramref name="c"/> (CR or LF).</summary>
    private void EndLine(char c)
    {
        _line++;
        _skipLf = c == '\r';
    }

    private void Append(ReadOnlySpan<char> text, int line)
    {
        if (text.Length == 0)
        {
            return;
        }

        _previousCr = false;
        if (_field.Length + text.Length > maxFieldLength)
        {
            throw new CsvFormatException(line, $"A field is longer than {maxFieldLength} characters.");
        }

        _field.Append(text);
    }

    private void EndField(List<string> fields)
    {
        fields.Add(_field.ToString());
        _field.Clear();
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
            _position = 0;
            if (_length == 0)
            {
                return false;
            }

            if (!_started)
            {
                _started = true;
                _position = _buffer[0] == '\uFEFF' ? 1 : 0;
            }

            if (_position < _length)
            {
                return true;
            }
        }
    }
}
