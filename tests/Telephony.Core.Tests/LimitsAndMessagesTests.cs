using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Calls;
using Telephony.Core.Limits;
using Telephony.Core.Messaging;

namespace Telephony.Core.Tests;

public sealed class LimitsAndMessagesTests
{
    [Fact]
    public void Token_bucket_allows_a_burst_then_refills_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(ratePerSecond: 2, capacity: 3, time);

        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(500), wait);

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void Rate_limits_are_per_account()
    {
        var limiter = new AccountRateLimiter(1, 1, new FakeTimeProvider());

        Assert.True(limiter.TryAcquire("A", out _));
        Assert.False(limiter.TryAcquire("A", out _));
        Assert.True(limiter.TryAcquire("B", out _));
    }

    [Fact]
    public void Call_request_messages_round_trip_as_camelCase_json()
    {
        var message = new CallRequestMessage { CallSid = "CA1", AccountSid = "AC1", RequestedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) };

        var json = MessageJson.Serialize(message);

        Assert.Contains("\"callSid\":\"CA1\"", json, StringComparison.Ordinal);
        Assert.Equal(message, MessageJson.Deserialize<CallRequestMessage>(json));
        Assert.Throws<JsonException>(() => MessageJson.Deserialize<CallRequestMessage>("{\"callSid\":\"CA1\"}"));
    }

    [Fact]
    public void List_filters_parse_dates_and_date_times_inclusively()
    {
        var filter = CallListQuery.Parse(Parameters.Of(("StartTime>", "2026-05-01"), ("StartTime<", "2026-05-03T10:00:00Z"), ("Status", "in-progress")));

        Assert.Equal(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), filter.StartedAtOrAfter);
        Assert.Equal(new DateTimeOffset(2026, 5, 3, 10, 0, 1, TimeSpan.Zero), filter.StartedBefore);
        Assert.Equal(CallStatus.InProgress, filter.Status);
        Assert.Throws<Errors.TwilioException>(() => CallListQuery.Parse(Parameters.Of(("StartTime", "yesterday"))));
    }
}
