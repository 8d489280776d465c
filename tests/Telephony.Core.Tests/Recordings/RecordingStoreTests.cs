using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Ids;
using Telephony.Core.Parameters;
using Telephony.Core.Recordings;

namespace Telephony.Core.Tests.Recordings;

/// <summary>RecordingStore on real Azurite: what a node saves, the blob it writes, and deletion.</summary>
public sealed class RecordingStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SaveAsync_stores_the_bytes_as_is_with_whole_second_duration_and_delete_removes_the_blob()
    {
        var store = new RecordingStore(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, _time.GetUtcNow());
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();

        var saved = await store.SaveAsync(account, call, "OutboundAPI", new MemoryStream(bytes), TimeSpan.FromSeconds(2.5), _time.GetUtcNow().AddSeconds(-3), channels: 2);

        Assert.StartsWith("RE", saved.Sid, StringComparison.Ordinal);
        Assert.Equal(3, saved.Duration);
        Assert.Equal(2, saved.Channels);
        Assert.Equal(bytes.Length, saved.SizeBytes);
        Assert.Equal(_time.GetUtcNow(), saved.DateCreated);
        Assert.Equal(saved, await store.GetAsync(account, saved.Sid));

        await using (var audio = await store.OpenAudioAsync(saved))
        {
            Assert.NotNull(audio);
            using var copy = new MemoryStream();
            await audio.Content.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }

        Assert.True(await store.DeleteAsync(account, saved.Sid));
        Assert.Null(await store.GetAsync(account, saved.Sid));
        Assert.Null(await store.OpenAudioAsync(saved));
        Assert.False(await store.DeleteAsync(account, saved.Sid));
    }

    [Fact]
    public async Task Newer_recordings_list_first_and_DateCreated_bounds_are_inclusive()
    {
        var store = new RecordingStore(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, _time.GetUtcNow());
        var first = await store.SaveAsync(account, call, "RecordVerb", new MemoryStream([1]), TimeSpan.FromSeconds(1), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(1));
        var second = await store.SaveAsync(account, call, "RecordVerb", new MemoryStream([2]), TimeSpan.FromSeconds(1), _time.GetUtcNow());

        var all = await store.ListAsync(account, RecordingFilter.Parse(RequestParameters.Empty), 10, null);
        Assert.Equal([second.Sid, first.Sid], all.Items.Select(r => r.Sid));

        var onFirstDay = RecordingFilter.Parse(new RequestParameters(new Dictionary<string, IReadOnlyList<string>> { ["DateCreated<"] = ["2026-05-04"] }));
        Assert.Equal([first.Sid], (await store.ListAsync(account, onFirstDay, 10, null)).Items.Select(r => r.Sid));
        var fromSecondDay = RecordingFilter.Parse(new RequestParameters(new Dictionary<string, IReadOnlyList<string>> { ["DateCreated>"] = ["2026-05-05"] }));
        Assert.Equal([second.Sid], (await store.ListAsync(account, fromSecondDay, 10, null)).Items.Select(r => r.Sid));
    }

    [Fact]
    public async Task SaveAsync_refuses_malformed_sids_before_writing_anything()
    {
        var store = new RecordingStore(fixture.Storage, _time);
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("AC1", Sid.NewRandom(Sid.CallPrefix), "RecordVerb", new MemoryStream([1]), TimeSpan.Zero, _time.GetUtcNow()));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(Sid.NewRandom(Sid.AccountPrefix), "CA1", "RecordVerb", new MemoryStream([1]), TimeSpan.Zero, _time.GetUtcNow()));
    }
}
