using System.Net;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;
using Telephony.Media.Cache;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;
using Telephony.Testing;

namespace Telephony.Media.Tests;

#pragma warning disable CA1001 // The server is disposed in IAsyncLifetime.DisposeAsync, which xunit always calls.
public sealed class MediaCacheTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly AzuriteFixture _azurite;
    private readonly LoopbackMediaServer _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly string _container = "media-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _disk = Path.Combine(Path.GetTempPath(), "media-cache-test-" + Guid.NewGuid().ToString("N"));
    private readonly List<HttpMediaFetcher> _fetchers = [];

    public MediaCacheTests(AzuriteFixture azurite) => _azurite = azurite;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var fetcher in _fetchers)
        {
            fetcher.Dispose();
        }

        if (Directory.Exists(_disk))
        {
            Directory.Delete(_disk, recursive: true);
        }
    }

    private MediaCache Node(bool withDisk = true, Action<MediaCacheOptions>? configure = null)
    {
        var options = new MediaCacheOptions
        {
            AllowPrivateAddresses = true,
            DiskDirectory = withDisk ? _disk : null,
            FetchTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        var fetcher = new HttpMediaFetcher(options, _time);
        _fetchers.Add(fetcher);
        var blobs = new BlobMediaStore(new BlobContainerClient(_azurite.ConnectionString, _container));
        return new MediaCache(blobs, fetcher, options, time: _time);
    }

    private static byte[] ToneWav(double seconds, double frequency = 1000)
    {
        using var memory = new MemoryStream();
        WavFile.Write(memory, new AudioBuffer(16000, Signals.Tone(frequency, 16000, seconds)));
        return memory.ToArray();
    }

    [Fact]
    public async Task First_request_fetches_then_memory_serves_and_the_address_opens()
    {
        var body = ToneWav(1);
        _server.Serve("/a.wav", () => (body, "audio/wav", "\"v1\"", "max-age=300"));
        var cache = Node();

        var first = await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/a.wav")), CancellationToken.None);
        var second = await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/a.wav")), CancellationToken.None);

        Assert.Equal(CacheOutcome.Fetched, first.Outcome);
        Assert.Equal(CacheOutcome.MemoryHit, second.Outcome);
        Assert.Equal(first.Address, second.Address);
        Assert.True(MediaCache.IsAddress(first.Address));
        Assert.Equal(1, _server.Count("/a.wav"));
        Assert.InRange(first.Duration.TotalSeconds, 0.99, 1.01);

        var content = await cache.OpenAsync(first.Address, CancellationToken.None);
        Assert.NotNull(content);
        var audio = content.ToTelephonyAudio();
        Assert.Equal(TelephonyEncoding.MuLaw, audio.Encoding);
        Assert.Equal(8000, audio.Payload.Length);
    }

    [Fact]
    public async Task Expired_entries_revalidate_with_the_etag_and_reuse_the_audio_on_304()
    {
        var body = ToneWav(1);
        _server.Serve("/r.wav", () => (body, "audio/wav", "\"v1\"", "max-age=60"));
        var cache = Node();
        var url = _server.Url("/r.wav");
        await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CacheOutcome.MemoryHit, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None)).Outcome);

        _time.Advance(TimeSpan.FromSeconds(31));
        var revalidated = await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);

        Assert.Equal(CacheOutcome.Revalidated, revalidated.Outcome);
        Assert.Equal(2, _server.Count("/r.wav"));
        Assert.Equal("\"v1\"", _server.Requests.Last().IfNoneMatch);
        Assert.Equal(CacheOutcome.MemoryHit, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Changed_content_after_expiry_is_fetched_again_under_the_same_address()
    {
        var version = 1;
        _server.Serve("/c.wav", () => (ToneWav(version), "audio/wav", $"\"v{version}\"", "max-age=10"));
        var cache = Node();
        var url = _server.Url("/c.wav");
        var first = await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);

        version = 2;
        _time.Advance(TimeSpan.FromSeconds(11));
        var second = await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);

        Assert.Equal(CacheOutcome.Fetched, second.Outcome);
        Assert.Equal(first.Address, second.Address);
        Assert.InRange(second.Duration.TotalSeconds, 1.99, 2.01);
        var stored = await Node(withDisk: false).OpenAsync(first.Address, CancellationToken.None);
        Assert.Equal(2, stored!.Metadata.DurationMs / 1000);
    }

    [Fact]
    public async Task Expires_and_last_modified_drive_freshness_and_if_modified_since()
    {
        var body = ToneWav(0.5);
        var lastModified = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        _server.Route("/expires.wav", context =>
        {
            // Expires two minutes after the server's own Date; no Cache-Control, no ETag.
            context.Response.Headers["Expires"] = DateTimeOffset.UtcNow.AddMinutes(2).ToString("R");
            context.Response.Headers["Last-Modified"] = lastModified.ToString("R");
            if (context.Request.Headers["If-Modified-Since"] is { } since && DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture) >= lastModified)
            {
                context.Response.StatusCode = 304;
                context.Response.Close();
                return Task.CompletedTask;
            }

            context.Response.ContentType = "audio/wav";
            context.Response.Close(body, willBlock: false);
            return Task.CompletedTask;
        });
        var cache = Node();
        var url = _server.Url("/expires.wav");

        Assert.Equal(CacheOutcome.Fetched, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None)).Outcome);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(CacheOutcome.MemoryHit, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None)).Outcome);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CacheOutcome.Revalidated, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None)).Outcome);

        Assert.Equal(2, _server.Count("/expires.wav"));
        var conditional = _server.Requests.Last(r => r.Path == "/expires.wav");
        Assert.Null(conditional.IfNoneMatch);
        Assert.Equal(lastModified, DateTimeOffset.Parse(conditional.IfModifiedSince!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task No_cache_revalidates_every_time_and_no_validators_refetch_every_time()
    {
        var body = ToneWav(0.5);
        _server.Serve("/nc.wav", () => (body, "audio/wav", "\"x\"", "no-cache"));
        _server.Serve("/plain.wav", () => (body, "audio/wav", null, null));
        var cache = Node();

        Assert.Equal(CacheOutcome.Fetched, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/nc.wav")), CancellationToken.None)).Outcome);
        Assert.Equal(CacheOutcome.Revalidated, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/nc.wav")), CancellationToken.None)).Outcome);
        Assert.Equal(CacheOutcome.Revalidated, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/nc.wav")), CancellationToken.None)).Outcome);
        Assert.Equal(3, _server.Count("/nc.wav"));

        Assert.Equal(CacheOutcome.Fetched, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/plain.wav")), CancellationToken.None)).Outcome);
        Assert.Equal(CacheOutcome.Fetched, (await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/plain.wav")), CancellationToken.None)).Outcome);
        Assert.Equal(2, _server.Count("/plain.wav"));
    }

    [Fact]
    public async Task Other_nodes_reuse_the_blob_and_a_restarted_node_its_disk()
    {
        var body = ToneWav(1);
        _server.Serve("/shared.wav", () => (body, "audio/mpeg-not-really; charset=x", "\"s\"", "max-age=3600"));
        var url = _server.Url("/shared.wav");
        var first = await Node().GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);

        var otherNode = await Node(withDisk: false).GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);
        var restarted = await Node(withDisk: true).GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None);

        Assert.Equal(CacheOutcome.BlobHit, otherNode.Outcome);
        Assert.Equal(CacheOutcome.DiskHit, restarted.Outcome);
        Assert.Equal(first.Address, otherNode.Address);
        Assert.Equal(1, _server.Count("/shared.wav"));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_for_one_url_make_one_fetch()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = ToneWav(1);
        _server.Route("/busy.wav", async context =>
        {
            arrived.TrySetResult();
            await release.Task;
            context.Response.ContentType = "audio/wav";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        var cache = Node();

        var requests = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() => cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/busy.wav")), CancellationToken.None)))
            .ToList();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        release.SetResult();
        var results = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(1, _server.Count("/busy.wav"));
        Assert.Single(results.Select(r => r.Address).Distinct());
    }

    [Fact]
    public async Task A_caller_giving_up_does_not_cancel_the_shared_fetch()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = ToneWav(0.5);
        _server.Route("/slow.wav", async context =>
        {
            arrived.TrySetResult();
            await release.Task;
            context.Response.ContentType = "audio/wav";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        var cache = Node();
        using var impatient = new CancellationTokenSource();

        var giveUp = cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/slow.wav")), impatient.Token);
        var patient = cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/slow.wav")), CancellationToken.None);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => giveUp);
        release.SetResult();

        Assert.Equal(CacheOutcome.Fetched, (await patient.WaitAsync(TimeSpan.FromSeconds(60))).Outcome);
        Assert.Equal(1, _server.Count("/slow.wav"));
    }

    [Fact]
    public async Task The_default_wiring_serves_speech_and_urls()
    {
        _server.Serve("/wired.wav", () => (ToneWav(0.25), "audio/wav", null, "max-age=60"));
        var cache = MediaCache.Create(
            new BlobContainerClient(_azurite.ConnectionString, _container),
            new MediaCacheOptions { AllowPrivateAddresses = true },
            time: _time);

        var url = await cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/wired.wav")), CancellationToken.None);
        var speech = await cache.GetOrCreateAsync(MediaRequest.ForSpeech("wired"), CancellationToken.None);

        Assert.Equal(CacheOutcome.Fetched, url.Outcome);
        Assert.Equal(CacheOutcome.Synthesized, speech.Outcome);
        Assert.Equal(2000, (await cache.OpenAsync(url.Address, CancellationToken.None))!.ToTelephonyAudio().Payload.Length);
    }

    [Fact]
    public async Task Speech_is_synthesized_once_and_shared()
    {
        var cache = Node();
        var request = MediaRequest.ForSpeech("Your call is important to us.", "woman", "en-GB");

        var first = await cache.GetOrCreateAsync(request, CancellationToken.None);
        var again = await cache.GetOrCreateAsync(request, CancellationToken.None);
        var elsewhere = await Node(withDisk: false).GetOrCreateAsync(request, CancellationToken.None);
        var otherVoice = await cache.GetOrCreateAsync(request with { Voice = "man" }, CancellationToken.None);
        var alaw = await cache.GetOrCreateAsync(request with { Encoding = TelephonyEncoding.ALaw }, CancellationToken.None);

        Assert.Equal(CacheOutcome.Synthesized, first.Outcome);
        Assert.Equal(CacheOutcome.MemoryHit, again.Outcome);
        Assert.Equal(CacheOutcome.BlobHit, elsewhere.Outcome);
        Assert.NotEqual(first.Address, otherVoice.Address);
        Assert.Equal(TelephonyEncoding.ALaw, alaw.Encoding);
        Assert.NotEqual(first.Address, alaw.Address);
        Assert.InRange(first.Duration.TotalSeconds, 0.8, 6);

        _time.Advance(TimeSpan.FromDays(365)); // speech never goes stale
        Assert.Equal(CacheOutcome.MemoryHit, (await cache.GetOrCreateAsync(request, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Retrieval_failures_carry_twilio_codes()
    {
        var html = "<html><body>Oops</body></html>"u8.ToArray();
        _server.Serve("/error-page.mp3", () => (html, "audio/mpeg", null, null));
        _server.Serve("/page.html", () => (ToneWav(0.1), "text/html", null, null));
        _server.Serve("/corrupt.wav", () => ("RIFF\u0010\0\0\0WAVEfmt "u8.ToArray(), "audio/wav", null, null));
        _server.Serve("/big.wav", () => (ToneWav(2), "audio/wav", null, null));
        _server.Route("/loop", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "/loop";
            context.Response.Close();
            return Task.CompletedTask;
        });
        _server.Route("/moved", context =>
        {
            context.Response.StatusCode = 301;
            context.Response.RedirectLocation = "/big.wav";
            context.Response.Close();
            return Task.CompletedTask;
        });
        var cache = Node(configure: o => o.MaxDownloadBytes = 40_000);

        async Task<int> CodeOf(string url) =>
            (await Assert.ThrowsAsync<MediaException>(() => cache.GetOrCreateAsync(MediaRequest.ForUrl(url), CancellationToken.None))).Code;

        Assert.Equal(MediaErrorCodes.RetrievalFailure, await CodeOf(_server.Url("/missing.wav")));
        Assert.Equal(MediaErrorCodes.InvalidContentType, await CodeOf(_server.Url("/error-page.mp3")));
        Assert.Equal(MediaErrorCodes.InvalidContentType, await CodeOf(_server.Url("/page.html")));
        Assert.Equal(MediaErrorCodes.MediaNotPlayable, await CodeOf(_server.Url("/corrupt.wav")));
        Assert.Equal(MediaErrorCodes.RetrievalFailure, await CodeOf(_server.Url("/big.wav"))); // 64 KB > 40 KB limit
        Assert.Equal(MediaErrorCodes.RetrievalFailure, await CodeOf(_server.Url("/moved"))); // followed, then too big
        Assert.Equal(MediaErrorCodes.TooManyRedirects, await CodeOf(_server.Url("/loop")));
        Assert.Equal(MediaErrorCodes.InvalidUrl, await CodeOf("ftp://example.com/a.wav"));
        Assert.Equal(MediaErrorCodes.InvalidUrl, await CodeOf("not a url"));
        Assert.Equal(MediaErrorCodes.BadHostName, await CodeOf("http://no-such-host.invalid/a.wav"));
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        var never = new TaskCompletionSource();
        _server.Route("/hang.wav", _ => never.Task);
        var cache = Node(configure: o => o.FetchTimeout = TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<MediaException>(() => cache.GetOrCreateAsync(MediaRequest.ForUrl(_server.Url("/hang.wav")), CancellationToken.None));
        Assert.Equal(MediaErrorCodes.RetrievalFailure, error.Code);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
        never.SetResult();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task The_guard_refuses_internal_addresses_outside_local_mode(string host)
    {
        _server.Serve("/secret.wav", () => (ToneWav(0.1), "audio/wav", null, null));
        var cache = Node(configure: o => o.AllowPrivateAddresses = false);
        var error = await Assert.ThrowsAsync<MediaException>(() =>
            cache.GetOrCreateAsync(MediaRequest.ForUrl($"http://{host}:{_server.Port}/secret.wav"), CancellationToken.None));
        Assert.Equal(MediaErrorCodes.RetrievalFailure, error.Code);
        Assert.Contains("private or reserved", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.Count("/secret.wav"));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("52.1.2.3", true)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("2606:4700::1111", true)]
    public void Address_guard_classifies_ranges(string address, bool allowed) =>
        Assert.Equal(allowed, AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task Open_refuses_anything_that_is_not_an_address()
    {
        var cache = Node();
        Assert.Null(await cache.OpenAsync("../../etc/passwd", CancellationToken.None));
        Assert.Null(await cache.OpenAsync(new string('a', 64), CancellationToken.None));
    }

    [Fact]
    public void Memory_level_is_bounded_in_bytes_and_evicts_least_recently_used()
    {
        var memory = new MemoryMediaCache(capacityBytes: 3000);
        var metadata = new MediaEntryMetadata { Source = "x" };
        memory.Set("a", new byte[1000], metadata);
        memory.Set("b", new byte[1000], metadata);
        memory.Set("c", new byte[1000], metadata);
        Assert.True(memory.TryGet("a", out _, out _)); // a is now most recent
        memory.Set("d", new byte[1000], metadata);

        Assert.False(memory.TryGet("b", out _, out _));
        Assert.True(memory.TryGet("a", out _, out _));
        Assert.Equal(3000, memory.Bytes);
        memory.Set("huge", new byte[5000], metadata);
        Assert.False(memory.TryGet("huge", out _, out _));
    }
}
