using System.Text;
using Telephony.Core.Admission;
using Telephony.Core.Batches;
using Telephony.Core.Calls;
using Telephony.Core.Errors;

namespace Telephony.Core.Tests.Batches;

public sealed class BatchRowsTests
{
    private const string Account = "AC0123456789abcdef0123456789abcdef";

    private static async Task<List<BatchRow>> CsvAsync(string text)
    {
        var rows = await CsvBatchRows.OpenAsync(new StringReader(text));
        var list = new List<BatchRow>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    private static async Task<List<BatchRow>> JsonAsync(string json)
    {
        var list = new List<BatchRow>();
        await foreach (var row in JsonBatchRows.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))))
        {
            list.Add(row);
        }

        return list;
    }

    [Fact]
    public async Task Csv_rows_become_call_parameters_validated_by_the_calls_parser()
    {
        var rows = await CsvAsync("To,From,Url,StatusCallbackEvent,Timeout\n"
            + "+15550001111,+15559990000,https://app.example/voice,initiated completed,15\n"
            + "sip:bob@example.com,+15559990000,https://app.example/voice,,\n");

        Assert.Equal(2, rows.Count);
        var first = CallCreateParser.Parse(rows[0].Parameters!, Account, DateTimeOffset.UtcNow);
        Assert.Equal("+15550001111", first.To);
        Assert.Equal(["initiated", "completed"], first.Instructions.StatusCallbackEvents);
        Assert.Equal(15, first.Options.Timeout);
        Assert.Equal((1, 2), (rows[0].Row, rows[0].Line!.Value));
        Assert.Equal((2, 3), (rows[1].Row, rows[1].Line!.Value));
        var second = CallCreateParser.Parse(rows[1].Parameters!, Account, DateTimeOffset.UtcNow);
        Assert.Equal(CallOptions.DefaultTimeout, second.Options.Timeout);
    }

    [Theory]
    [InlineData("To,From,MachineDetection\n", "answering-machine detection")]
    [InlineData("To,From,Bogus\n", "Unsupported column 'Bogus'")]
    [InlineData("To,Url\n", "To and From")]
    [InlineData("To,From,To\n", "appears twice")]
    [InlineData("", "empty")]
    public async Task An_unusable_header_refuses_the_whole_body(string csv, string expected)
    {
        var e = await Assert.ThrowsAsync<TwilioException>(() => CsvAsync(csv));
        Assert.Equal(400, e.Error.Status);
        Assert.Equal(TwilioErrorCodes.InvalidParameter, e.Error.Code);
        Assert.Contains(expected, e.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_with_the_wrong_field_count_is_an_error_row_and_a_broken_quote_ends_the_reading()
    {
        var rows = await CsvAsync("To,From,Url\n+1555,+1556\n+1555,+1556,https://a.example/\n\"+1557,+1556,x\n+1558,+1556,y\n");
        Assert.Equal(3, rows.Count);
        Assert.Equal((1, 2), (rows[0].Row, rows[0].Line!.Value));
        Assert.Contains("2 fields", rows[0].Error, StringComparison.Ordinal);
        Assert.NotNull(rows[1].Parameters);
        Assert.Equal(4, rows[2].Line);
        Assert.Contains("not read", rows[2].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_rows_take_strings_numbers_booleans_and_arrays_and_report_bad_rows_by_position()
    {
        var rows = await JsonAsync("""
            [
              {"To": "+15550001111", "From": "+15559990000", "Url": "https://app.example/voice", "Timeout": 20, "Record": true,
               "StatusCallbackEvent": ["ringing", "completed"]},
              "not an object",
              {"To": "+15550001111", "MachineDetection": "Enable"},
              {"To": {"nested": 1}}
            ]
            """);

        Assert.Equal(4, rows.Count);
        var call = CallCreateParser.Parse(rows[0].Parameters!, Account, DateTimeOffset.UtcNow);
        Assert.Equal(20, call.Options.Timeout);
        Assert.True(call.Options.Record);
        Assert.Equal(["ringing", "completed"], call.Instructions.StatusCallbackEvents);
        Assert.Null(rows[0].Line);
        Assert.Equal(2, rows[1].Row);
        Assert.Contains("JSON object", rows[1].Error, StringComparison.Ordinal);
        Assert.Contains("answering-machine detection", rows[2].Error, StringComparison.Ordinal);
        Assert.Contains("string, number or boolean", rows[3].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_that_is_not_an_array_is_one_error_row()
    {
        var rows = await JsonAsync("""{"To": "+1555"}""");
        var row = Assert.Single(rows);
        Assert.Null(row.Parameters);
        Assert.Contains("not read", row.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chunk_takes_consecutive_slots_in_one_step_and_waits_for_room_under_the_queued_cap()
    {
        var start = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        var limits = new TenantLimits { CallsPerSecond = 10, MaxConcurrentCalls = 10, MaxQueuedCalls = 150 };
        var slot = AdmissionPacer.AdmitMany(PacingState.Empty, limits, start, 100);
        Assert.Equal(start, slot.ReleaseAt);
        Assert.Equal(start + TimeSpan.FromSeconds(10), slot.Next.NextSlot);
        Assert.Equal(100, slot.Next.AdmittedTotal);

        // 99 calls still wait; 100 more would make 199 > 150: the chunk waits 49 slots (4.9 s).
        Assert.Equal(TimeSpan.FromSeconds(4.9), AdmissionPacer.WaitForRoom(slot.Next, limits, start, 100));
        Assert.Equal(TimeSpan.Zero, AdmissionPacer.WaitForRoom(slot.Next, limits, start, 51));
        Assert.Equal(TimeSpan.Zero, AdmissionPacer.WaitForRoom(PacingState.Empty, limits, start, 1000));

        var second = AdmissionPacer.AdmitMany(slot.Next, limits, start + TimeSpan.FromSeconds(1), 10);
        Assert.Equal(start + TimeSpan.FromSeconds(10), second.ReleaseAt);
        Assert.Equal(TimeSpan.FromSeconds(9), second.Delay);
    }
}
