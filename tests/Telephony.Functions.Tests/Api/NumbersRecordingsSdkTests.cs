using Telephony.Core.Ids;
using Telephony.Core.Recordings;
using Xunit.Abstractions;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary>
/// tests/sdk/numbers-recordings.test.mjs: the official twilio npm SDK manages IncomingPhoneNumbers and lists,
/// fetches and removes Recordings (seeded here the way a node saves them).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NumbersRecordingsSdkTests(ApiFixture api, ITestOutputHelper output)
{
    [Fact]
    public async Task The_official_twilio_node_SDK_manages_numbers_and_reads_recordings()
    {
        var tenant = await api.CreateTenantAsync("sdk-recordings");
        var store = new RecordingStore(api.Storage, TimeProvider.System);
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow);
        var wav = RecordingsApiTests.ToneWav(2);
        var sids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var audio = new MemoryStream(wav);
            sids.Add((await store.SaveAsync(tenant.Sid, call, "DialVerb", audio, TimeSpan.FromSeconds(2), DateTimeOffset.UtcNow)).Sid);
        }

        var log = await SdkScript.RunAsync(api, "numbers-recordings.test.mjs", output, new Dictionary<string, string>
        {
            ["TELEPHONY_REC_ACCOUNT"] = tenant.Sid,
            ["TELEPHONY_REC_TOKEN"] = tenant.AuthToken,
            ["TELEPHONY_REC_CALL"] = call,
            ["TELEPHONY_REC_SIDS"] = string.Join(',', Enumerable.Reverse(sids)),
        });

        Assert.Contains("pass 4", log, StringComparison.Ordinal);
        Assert.Contains("fail 0", log, StringComparison.Ordinal);
    }
}
