using Telephony.Core.Batches;

namespace Telephony.Core.Tests.Batches;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<CsvRecord>> ReadAllAsync(string text, int bufferChunk = 0)
    {
        TextReader reader = bufferChunk > 0 ? new TrickleReader(text, bufferChunk) : new StringReader(text);
        var csv = new CsvRecordReader(reader, maxFieldLength: 100, maxFields: 10);
        var records = new List<CsvRecord>();
        while (await csv.ReadAsync() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Quoted_fields_hold_commas_quotes_and_line_breaks_and_lines_are_counted_across_them(int chunk)
    {
        const string text = "\uFEFFTo,From,Url\r\n"
            + "+15550001,+15559999,\"https://a.example/x?a=1,b=2\"\r\n"
            + "\r\n"
            + "\"+15550002\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
            + "+15550003,,last";
        var records = await ReadAllAsync(text, chunk);

        Assert.Equal(4, records.Count);
        Assert.Equal(["To", "From", "Url"], records[0].Fields);
        Assert.Equal(1, records[0].Line);
        Assert.Equal(["+15550001", "+15559999", "https://a.example/x?a=1,b=2"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["+15550002", "say \"hi\"", "two\r\nlines"], records[2].Fields);
        Assert.Equal(4, records[2].Line);
        Assert.Equal(["+15550003", string.Empty, "last"], records[3].Fields);
        Assert.Equal(6, records[3].Line);
    }

    [Theory]
    [InlineData("a,b\nc,d\n")]
    [InlineData("a,b\rc,d\r")]
    [InlineData("a,b\r\nc,d")]
    public async Task Lf_cr_and_crlf_all_end_a_record(string text)
    {
        var records = await ReadAllAsync(text);
        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Fields.ToArray()));
        Assert.Equal([1, 2], records.Select(r => r.Line));
    }

    [Fact]
    public async Task An_unclosed_quote_names_the_line_where_the_field_started()
    {
        var e = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("a,b\nc,\"open\nmore\n"));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_is_refused()
    {
        var e = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("a,b\n\"x\"y,z\n"));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public async Task Field_length_and_field_count_are_capped()
    {
        var longField = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("a\n" + new string('x', 101) + "\n"));
        Assert.Equal(2, longField.Line);
        Assert.Contains("100", longField.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync(string.Join(',', Enumerable.Repeat("f", 12))));
    }

    /// <summary>Hands out at most a few characters per read, so every state meets a buffer boundary.</summary>
    private sealed class TrickleReader(string text, int chunk) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(buffer.Length, chunk), text.Length - _position);
            text.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }
    }
}
