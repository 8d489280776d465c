using System.Net;
using System.Text.Json;
using Telephony.Core.Ids;
using Telephony.Core.Recordings;
using Telephony.Media;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary>Recordings saved the way a node saves them (RecordingStore), then read through the real HTTP pipeline.</summary>
[Collection(ApiCollection.Name)]
public sealed class RecordingsApiTests(ApiFixture api)
{
    private static string Recordings(Tenant t) => $"/2010-04-01/Accounts/{t.Sid}/Recordings";

    /// <summary>A WAV file of a 440 Hz tone, 8 kHz 16-bit mono.</summary>
    public static byte[] ToneWav(double seconds)
    {
        var samples = new float[(int)(8000 * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / 8000f);
        }

        using var wav = new MemoryStream();
        WavFile.Write(wav, new AudioBuffer(8000, samples));
        return wav.ToArray();
    }

    private async Task<RecordingRecord> SaveAsync(Tenant tenant, byte[] wav, string? callSid = null, string source = "RecordVerb")
    {
        var store = new RecordingStore(api.Storage, TimeProvider.System);
        using var audio = new MemoryStream(wav);
        return await store.SaveAsync(
            tenant.Sid, callSid ?? Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow), source, audio,
            TimeSpan.FromSeconds(wav.Length / 16000.0), DateTimeOffset.UtcNow.AddSeconds(-3));
    }

    [Fact]
    public async Task A_saved_recording_is_listed_fetched_streamed_byte_exact_and_deleted_with_its_audio()
    {
        var tenant = await api.CreateTenantAsync();
        var wav = ToneWav(3);
        var saved = await SaveAsync(tenant, wav);
        Assert.Matches("^RE[0-9a-f]{32}$", saved.Sid);
        Assert.Equal($"/2010-04-01/Accounts/{tenant.Sid}/Recordings/{saved.Sid}", saved.MediaPath);

        var fetched = await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}/{saved.Sid}.json"), 200);
        Assert.Equal(saved.Sid, fetched.GetProperty("sid").GetString());
        Assert.Equal(saved.CallSid, fetched.GetProperty("call_sid").GetString());
        Assert.Equal(tenant.Sid, fetched.GetProperty("account_sid").GetString());
        Assert.Equal("3", fetched.GetProperty("duration").GetString());
        Assert.Equal(1, fetched.GetProperty("channels").GetInt32());
        Assert.Equal("RecordVerb", fetched.GetProperty("source").GetString());
        Assert.Equal("completed", fetched.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, fetched.GetProperty("price").ValueKind);
        Assert.EndsWith("+0000", fetched.GetProperty("start_time").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{Recordings(tenant)}/{saved.Sid}.json", fetched.GetProperty("uri").GetString());
        var mediaUrl = new Uri(fetched.GetProperty("media_url").GetString()!);
        Assert.Equal(saved.MediaPath, mediaUrl.AbsolutePath);
        Assert.Equal($"{saved.MediaPath}/Transcriptions.json", fetched.GetProperty("subresource_uris").GetProperty("transcriptions").GetString());

        var wavResponse = await tenant.Client.GetAsync($"{Recordings(tenant)}/{saved.Sid}.wav");
        Assert.Equal(HttpStatusCode.OK, wavResponse.StatusCode);
        Assert.Equal("audio/x-wav", wavResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wav, await wavResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(wav, await tenant.Client.GetByteArrayAsync(mediaUrl.PathAndQuery));

        var list = await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}.json"), 200);
        Assert.Equal(saved.Sid, Assert.Single(list.GetProperty("recordings").EnumerateArray()).GetProperty("sid").GetString());
        var forCall = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{saved.CallSid}/Recordings.json"), 200);
        Assert.Equal(saved.Sid, Assert.Single(forCall.GetProperty("recordings").EnumerateArray()).GetProperty("sid").GetString());
        await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{saved.CallSid}/Recordings/{saved.Sid}.json"), 200);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"{Recordings(tenant)}/{saved.Sid}.json")).StatusCode);
        await TwilioError(await tenant.Client.GetAsync($"{Recordings(tenant)}/{saved.Sid}.json"), 404, 20404);
        await TwilioError(await tenant.Client.GetAsync($"{Recordings(tenant)}/{saved.Sid}.wav"), 404, 20404);
        Assert.False(await api.Storage.Container(RecordingPaths.Container).GetBlobClient(RecordingPaths.BlobName(tenant.Sid, saved.Sid)).ExistsAsync());
        await TwilioError(await tenant.Client.DeleteAsync($"{Recordings(tenant)}/{saved.Sid}.json"), 404, 20404);
    }

    [Fact]
    public async Task Mp3_is_encoded_by_ffmpeg_and_decodes_to_the_recorded_duration()
    {
        var tenant = await api.CreateTenantAsync();
        var saved = await SaveAsync(tenant, ToneWav(4));

        var response = await tenant.Client.GetAsync($"{Recordings(tenant)}/{saved.Sid}.mp3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        var mp3 = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(AudioContainer.Mp3, AudioSniffer.Sniff(mp3));

        var decoded = await new TelephonyTranscoder().TranscodeAsync(mp3, "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None);
        Assert.InRange(decoded.Duration.TotalSeconds, 3.8, 4.3);
    }

    [Fact]
    public async Task Mp3_without_ffmpeg_is_a_clear_415_and_the_wav_still_works()
    {
        var tenant = await api.CreateTenantAsync();
        var wav = ToneWav(1);
        var saved = await SaveAsync(tenant, wav);
        var settings = ApiFixture.Settings(api.ConnectionString);
        settings["Telephony:Recordings:FfmpegPath"] = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "ffmpeg");
        await using var app = new Hosting.FunctionsAppFactory(settings);
        using var client = WithBasic(app.CreateClient(), tenant.Sid, tenant.AuthToken);

        var refused = await TwilioError(await client.GetAsync($"{Recordings(tenant)}/{saved.Sid}.mp3"), 415, 20415);
        Assert.Contains(".wav", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(wav, await client.GetByteArrayAsync($"{Recordings(tenant)}/{saved.Sid}.wav"));
    }

    [Fact]
    public async Task Another_tenant_cannot_see_or_fetch_a_recording_or_its_audio()
    {
        var a = await api.CreateTenantAsync("a");
        var b = await api.CreateTenantAsync("b");
        var saved = await SaveAsync(a, ToneWav(1));

        await TwilioError(await b.Client.GetAsync($"{Recordings(b)}/{saved.Sid}.json"), 404, 20404);
        await TwilioError(await b.Client.GetAsync($"{Recordings(b)}/{saved.Sid}.wav"), 404, 20404);
        await TwilioError(await b.Client.GetAsync($"{Recordings(b)}/{saved.Sid}.mp3"), 404, 20404);
        await TwilioError(await b.Client.DeleteAsync($"{Recordings(b)}/{saved.Sid}.json"), 404, 20404);
        await TwilioError(await b.Client.GetAsync($"{Recordings(a)}/{saved.Sid}.wav"), 401, 20003);
        Assert.Equal(0, (await Json(await b.Client.GetAsync($"{Recordings(b)}.json"), 200)).GetProperty("recordings").GetArrayLength());
        await Json(await a.Client.GetAsync($"{Recordings(a)}/{saved.Sid}.json"), 200);
    }

    [Fact]
    public async Task List_is_newest_first_with_paging_and_CallSid_and_DateCreated_filters()
    {
        var tenant = await api.CreateTenantAsync();
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow);
        var saved = new List<RecordingRecord>();
        for (var i = 0; i < 5; i++)
        {
            saved.Add(await SaveAsync(tenant, ToneWav(0.2), i < 2 ? call : null));
        }

        var newestFirst = saved.Select(r => r.Sid).Reverse().ToList();
        var seen = new List<string>();
        string? next = $"{Recordings(tenant)}.json?PageSize=2";
        while (next is not null)
        {
            var page = await Json(await tenant.Client.GetAsync(next), 200);
            seen.AddRange(page.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("sid").GetString()!));
            next = page.GetProperty("next_page_uri").GetString();
        }

        Assert.Equal(newestFirst, seen);

        var byCall = await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?CallSid={call}"), 200);
        Assert.Equal(newestFirst[^2..], byCall.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("sid").GetString()!));

        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5, (await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?DateCreated>={yesterday}"), 200)).GetProperty("recordings").GetArrayLength());
        Assert.Equal(0, (await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?DateCreated>={tomorrow}"), 200)).GetProperty("recordings").GetArrayLength());
        Assert.Equal(0, (await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?DateCreated<={yesterday}"), 200)).GetProperty("recordings").GetArrayLength());
        // Counted from the records themselves, so a run that crosses midnight still checks the equality filter.
        var createdToday = saved.Count(r => r.DateCreated.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) == today);
        Assert.Equal(createdToday, (await Json(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?DateCreated={today}"), 200)).GetProperty("recordings").GetArrayLength());

        await TwilioError(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?CallSid=nope"), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?DateCreated=soon"), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync($"{Recordings(tenant)}.json?ConferenceSid=CF1"), 400, 20001);
    }
}
