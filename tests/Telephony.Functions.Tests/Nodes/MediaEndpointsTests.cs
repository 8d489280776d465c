using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Telephony.Functions.Tests.Api;
using Telephony.Media;
using Telephony.Media.Cache;
using Telephony.Media.Remote;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Nodes;

[Collection(NodeApiCollection.Name)]
public sealed class MediaEndpointsTests(NodeApiFixture fixture) : IDisposable
{
    private readonly string _localCache = Directory.CreateTempSubdirectory("node-media-").FullName;

    [Fact]
    public async Task Say_text_resolves_to_an_address_once_then_hits_and_downloads_with_etag_revalidation()
    {
        ExternalTool.Require("espeak-ng", "espeak-ng");
        using var http = fixture.Node(key: null);
        var client = new RemoteMediaClient(http, http.BaseAddress!, NodeApiFixture.NodeKey, new DiskMediaCache(_localCache, 10_000_000));
        var text = "Node media test " + Guid.NewGuid().ToString("N")[..8];

        var first = await client.ResolveAsync(MediaRequest.ForSpeech(text, "alice", "en-US"), CancellationToken.None);
        var second = await client.ResolveAsync(MediaRequest.ForSpeech(text, "alice", "en-US"), CancellationToken.None);

        Assert.Equal("miss", first.Cache);
        Assert.Equal("hit", second.Cache);
        Assert.Equal(first.Address, second.Address);
        Assert.True(MediaCache.IsAddress(first.Address));
        Assert.Equal("ulaw", first.Format);
        Assert.InRange(first.Duration, 0.3, 20);

        var wav = await client.DownloadAsync(first.Address, CancellationToken.None);
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.True(File.Exists(Path.Combine(_localCache, first.Address + ".wav")));
        Assert.Equal(wav, await client.DownloadAsync(first.Address, CancellationToken.None));

        using var node = fixture.Node();
        var served = await node.GetAsync("/node/v1/media/" + first.Address);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("audio/wav", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wav, await served.Content.ReadAsByteArrayAsync());
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/node/v1/media/" + first.Address);
        conditional.Headers.IfNoneMatch.Add(served.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await node.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task A_url_is_fetched_and_transcoded_and_alaw_is_a_different_address()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/tone.wav", _ => new WebhookAnswer(200, "audio/wav", ToneWav()));
        using var http = fixture.Node(key: null);
        var client = new RemoteMediaClient(http, http.BaseAddress!, NodeApiFixture.NodeKey);

        var ulaw = await client.GetAsync(MediaRequest.ForUrl(app.Url("/tone.wav")), CancellationToken.None);
        var alaw = await client.ResolveAsync(MediaRequest.ForUrl(app.Url("/tone.wav"), TelephonyEncoding.ALaw), CancellationToken.None);

        Assert.Equal("miss", ulaw.Resolved.Cache);
        Assert.InRange(ulaw.Resolved.Duration, 0.95, 1.05);
        Assert.Equal("alaw", alaw.Format);
        Assert.NotEqual(ulaw.Resolved.Address, alaw.Address);
        Assert.Equal("RIFF"u8.ToArray(), ulaw.Wav[..4]);
    }

    [Fact]
    public async Task Media_failures_keep_their_twilio_codes()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/page.html", _ => WebhookAnswer.Text(200, "text/html", "<html>not audio</html>"));
        using var http = fixture.Node(key: null);
        var client = new RemoteMediaClient(http, http.BaseAddress!, NodeApiFixture.NodeKey);

        var notAudio = await Assert.ThrowsAsync<MediaException>(() => client.ResolveAsync(MediaRequest.ForUrl(app.Url("/page.html")), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<MediaException>(() => client.ResolveAsync(MediaRequest.ForUrl(app.Url("/nothing.wav")), CancellationToken.None));
        var badUrl = await Assert.ThrowsAsync<MediaException>(() => client.ResolveAsync(MediaRequest.ForUrl("ftp://files.example/a.wav"), CancellationToken.None));

        Assert.Equal(MediaErrorCodes.InvalidContentType, notAudio.Code);
        Assert.Equal(MediaErrorCodes.RetrievalFailure, missing.Code);
        Assert.Equal(MediaErrorCodes.InvalidUrl, badUrl.Code);

        using var node = fixture.Node();
        await ApiFixture.TwilioError(await node.PostAsJsonAsync("/node/v1/media", new { url = app.Url("/page.html") }), 415, 12300);
        await ApiFixture.TwilioError(await node.PostAsJsonAsync("/node/v1/media", new { url = "https://a.example/x.wav", say = new { text = "hi" } }), 400, 20001);
        await ApiFixture.TwilioError(await node.PostAsJsonAsync("/node/v1/media", new { say = new { text = "hi" }, format = "opus" }), 400, 20001);
        await ApiFixture.TwilioError(await node.PostAsync("/node/v1/media", new StringContent("[", null, "application/json")), 400, 20001);
        await ApiFixture.TwilioError(await node.GetAsync("/node/v1/media/" + new string('f', 64)), 404, 20404);
        await ApiFixture.TwilioError(await node.GetAsync("/node/v1/media/not-an-address"), 404, 20404);
        using var stranger = fixture.Node("wrong");
        await ApiFixture.TwilioError(await stranger.PostAsJsonAsync("/node/v1/media", new { say = new { text = "hi" } }), 401, 20003);
    }

    /// <summary>1 s of a 1 kHz tone as 16 kHz 16-bit PCM WAV (the endpoint transcodes it to 8 kHz G.711).</summary>
    private static byte[] ToneWav()
    {
        const int rate = 16000;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (rate * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(rate * 2);
        for (var i = 0; i < rate; i++)
        {
            writer.Write((short)(8000 * Math.Sin(2 * Math.PI * 1000 * i / rate)));
        }

        writer.Flush();
        return stream.ToArray();
    }

    public void Dispose() => Directory.Delete(_localCache, recursive: true);
}
