using Telephony.Core.Ids;

namespace Telephony.Core.Tests;

public sealed class SidTests
{
    [Fact]
    public void Random_sids_have_the_prefix_and_32_lowercase_hex_digits()
    {
        var sid = Sid.NewRandom(Sid.AccountPrefix);

        Assert.True(Sid.IsValid(sid, Sid.AccountPrefix));
        Assert.Equal(34, sid.Length);
        Assert.NotEqual(sid, Sid.NewRandom(Sid.AccountPrefix));
    }

    [Fact]
    public void Time_ordered_sids_sort_newest_first()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var sids = Enumerable.Range(0, 50).Select(i => (Time: start.AddMilliseconds(i * 7), Sid: Sid.NewTimeOrdered(Sid.CallPrefix, start.AddMilliseconds(i * 7)))).ToList();

        var sorted = sids.OrderBy(s => s.Sid, StringComparer.Ordinal).Select(s => s.Time).ToList();

        Assert.Equal(sids.Select(s => s.Time).OrderDescending(), sorted);
        Assert.All(sids, s => Assert.True(Sid.IsValid(s.Sid, Sid.CallPrefix)));
    }

    [Fact]
    public void Lower_bound_sorts_before_every_call_created_at_or_before_it()
    {
        var t = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var bound = Sid.TimeOrderedLowerBound(Sid.CallPrefix, t);

        Assert.True(string.CompareOrdinal(Sid.NewTimeOrdered(Sid.CallPrefix, t), bound) >= 0);
        Assert.True(string.CompareOrdinal(Sid.NewTimeOrdered(Sid.CallPrefix, t.AddSeconds(-1)), bound) > 0);
        Assert.True(string.CompareOrdinal(Sid.NewTimeOrdered(Sid.CallPrefix, t.AddTicks(1)), bound) < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CA0123")]
    [InlineData("AC0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789ABCDEF0123456789abcdef")]
    [InlineData("CA0123456789abcdef0123456789abcdeg")]
    public void Malformed_sids_are_not_valid(string? value) => Assert.False(Sid.IsValid(value, Sid.CallPrefix));
}
