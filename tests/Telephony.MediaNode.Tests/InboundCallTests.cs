using Telephony.Core.Webhooks;
using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// Calls into the node: a number bought through the API, a real SIP caller on loopback, the tenant's VoiceUrl
/// fetched through the functions' instructions endpoint, and the call record and callbacks through the API.
/// </summary>
[Collection(PlatformCollection.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the caller through IAsyncLifetime.DisposeAsync")]
public sealed class InboundCallTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private readonly Caller _caller = new();

    [Fact]
    public async Task A_bought_number_rings_then_runs_its_VoiceUrl_with_signed_inbound_parameters_and_the_caller_hears_Say_then_Play()
    {
        const string number = "+15559990001";
        platform.App.Serve("/inbound/welcome", $"""
            <Response>
              <Say>Thank you for calling the media node.</Say>
              <Play>{platform.App.Url("/tone.wav")}</Play>
              <Hangup/>
            </Response>
            """);
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/welcome")), ("StatusCallback", platform.App.Url("/inbound/welcome-status")));
        var completed = WaitForRequest(r => r.Path == "/inbound/welcome-status");

        // The trunk sends the number without '+', as many carriers do.
        var dialled = _caller.Dial(platform.NodeSipUdpPort, number.TrimStart('+'));
        var end = await dialled.Call.Completion.WaitAsync(CallTimeout);

        Assert.True(end.WasAnswered);
        Assert.Equal(CallEndCause.RemoteHangup, end.Cause);
        Assert.Contains(180, dialled.Provisional);
        var fetch = platform.App.Requests.Last(r => r.Path == "/inbound/welcome");
        var sid = fetch.Parameters["CallSid"];
        Assert.Equal("inbound", fetch.Parameters["Direction"]);
        Assert.Equal("ringing", fetch.Parameters["CallStatus"]);
        Assert.Equal(number, fetch.Parameters["To"]);
        Assert.Equal(number, fetch.Parameters["Called"]);
        Assert.Equal("+15557770001", fetch.Parameters["From"]);
        Assert.Equal("+15557770001", fetch.Parameters["Caller"]);
        Assert.Equal("Ada Lovelace", fetch.Parameters["CallerName"]);
        Assert.Equal(platform.AccountSid, fetch.Parameters["AccountSid"]);
        Assert.Equal("2010-04-01", fetch.Parameters["ApiVersion"]);
        Assert.True(RequestSignature.Validate(platform.AuthToken, fetch.Signature, platform.App.Url("/inbound/welcome"), fetch.Parameters),
            "the VoiceUrl request carries a valid X-Twilio-Signature");

        // Speech, then the 1 kHz tone.
        var audio = dialled.Recorder.Samples;
        var loud = AudioAnalysis.LoudBlocks(audio, 300).ToList();
        var toneBlocks = loud.Where(i => AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) > 0.8).ToList();
        // Half of the 1 s tone shows it played; a far end starved of CPU loses late packets and the tail in its jitter buffer at BYE.
        Assert.True(toneBlocks.Count >= 25, $"expected at least 0.5 s of the 1 kHz tone, found {toneBlocks.Count * 20} ms");
        var speech = loud.Count(i => i < toneBlocks[0] && AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) < 0.5);
        Assert.True(speech >= 25, $"expected at least 0.5 s of speech before the tone, found {speech * 20} ms");

        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal("inbound", call.GetProperty("direction").GetString());
        Assert.Equal(number, call.GetProperty("to").GetString());
        Assert.Equal("+15557770001", call.GetProperty("from").GetString());
        Assert.Equal("Ada Lovelace", call.GetProperty("caller_name").GetString());
        Assert.True(PlatformFixture.Int(call, "duration") >= 1, $"duration {call.GetProperty("duration")}");

        // A number's StatusCallback gets the completed event only (Twilio has no StatusCallbackEvent on numbers).
        var callback = await completed.WaitAsync(CallTimeout);
        Assert.Equal(sid, callback.Parameters["CallSid"]);
        Assert.Equal("completed", callback.Parameters["CallStatus"]);
        Assert.Equal("inbound", callback.Parameters["Direction"]);
        Assert.All(platform.App.Requests.Where(r => r.Path == "/inbound/welcome-status"), r => Assert.Equal("completed", r.Parameters["CallStatus"]));
    }

    [Fact]
    public async Task The_caller_hanging_up_completes_the_call_with_its_duration_and_the_completed_callback()
    {
        const string number = "+15559990002";
        platform.App.Serve("/inbound/hold", "<Response><Say>Please hold.</Say><Pause length=\"60\"/></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/hold")), ("StatusCallback", platform.App.Url("/inbound/hold-status")));
        var fetched = WaitForRequest(r => r.Path == "/inbound/hold" && r.Parameters.GetValueOrDefault("To") == number);
        var completed = WaitForRequest(r => r.Path == "/inbound/hold-status");

        var dialled = _caller.Dial(platform.NodeSipUdpPort, number);
        var sid = (await fetched.WaitAsync(CallTimeout)).Parameters["CallSid"];
        await dialled.Call.WhenAnswered.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "in-progress");
        await WaitForAudioAsync(dialled);
        dialled.Call.Hangup();

        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed", "failed");
        var callback = await completed.WaitAsync(CallTimeout);

        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(call.GetProperty("start_time").GetString()));
        Assert.False(string.IsNullOrEmpty(call.GetProperty("end_time").GetString()));
        Assert.True(PlatformFixture.Int(call, "duration") < 60, "the call ended when the caller hung up, not after the pause");
        Assert.Equal("completed", callback.Parameters["CallStatus"]);
        Assert.Equal(PlatformFixture.Int(call, "duration").ToString(System.Globalization.CultureInfo.InvariantCulture), callback.Parameters["CallDuration"]);
    }

    [Fact]
    public async Task A_number_nobody_holds_gets_404_and_no_call_record()
    {
        var before = await CallCountAsync();
        var dialled = _caller.Dial(platform.NodeSipUdpPort, "+15559990099");

        var end = await dialled.Call.Completion.WaitAsync(CallTimeout);

        Assert.Equal(404, end.SipStatus);
        Assert.False(end.WasAnswered);
        Assert.Equal(before, await CallCountAsync());
    }

    [Theory]
    [InlineData("+15559990003", "<Reject reason=\"busy\"/>", 486, "busy")]
    [InlineData("+15559990004", "<Reject/>", 603, "no-answer")]
    public async Task Reject_as_the_first_verb_refuses_without_ever_answering(string number, string reject, int sipStatus, string status)
    {
        var path = "/inbound/reject-" + sipStatus;
        platform.App.Serve(path, $"<Response>{reject}<Say>never spoken</Say></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url(path)));
        var fetched = WaitForRequest(r => r.Path == path);

        var dialled = _caller.Dial(platform.NodeSipUdpPort, number);
        var end = await dialled.Call.Completion.WaitAsync(CallTimeout);
        var sid = (await fetched.WaitAsync(CallTimeout)).Parameters["CallSid"];
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "busy", "no-answer", "completed", "failed");

        Assert.Equal(sipStatus, end.SipStatus);
        Assert.False(end.WasAnswered);
        Assert.False(dialled.Call.WhenAnswered.IsCompletedSuccessfully);
        Assert.Equal(status, call.GetProperty("status").GetString());
        Assert.Equal(0, PlatformFixture.Int(call, "duration"));
    }

    [Fact]
    public async Task A_caller_who_gives_up_while_the_app_is_slow_leaves_a_canceled_call_and_the_program_never_runs()
    {
        const string number = "+15559990005";
        platform.App.Serve("/inbound/slow", "<Response><Say>Too late.</Say><Redirect>/inbound/slow-next</Redirect></Response>");
        platform.App.Serve("/inbound/slow-next", "<Response><Hangup/></Response>");
        var gate = platform.App.Hold("/inbound/slow");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/slow")));
        var fetching = WaitForRequest(r => r.Path == "/inbound/slow");

        var dialled = _caller.Dial(platform.NodeSipUdpPort, number);
        var sid = (await fetching.WaitAsync(CallTimeout)).Parameters["CallSid"];
        await platform.WaitForStatusAsync(sid, CallTimeout, "ringing");
        dialled.Call.Hangup(); // CANCEL while the node waits for the app
        var end = await dialled.Call.Completion.WaitAsync(CallTimeout);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "canceled", "completed", "failed", "no-answer", "busy");
        gate.SetResult();

        Assert.Equal(CallEndCause.Canceled, end.Cause);
        Assert.Equal(487, end.SipStatus);
        Assert.Equal("canceled", call.GetProperty("status").GetString());

        // The late answer is not run: its Redirect is never fetched. The next call proves the node moved on.
        platform.App.Serve("/inbound/after", "<Response><Hangup/></Response>");
        const string next = "+15559990006";
        await platform.BuyNumberAsync(next, ("VoiceUrl", platform.App.Url("/inbound/after")));
        await _caller.Dial(platform.NodeSipUdpPort, next).Call.Completion.WaitAsync(CallTimeout);
        Assert.DoesNotContain(platform.App.Requests, r => r.Path == "/inbound/slow-next");
    }

    [Fact]
    public async Task Gather_collects_digits_the_caller_sends_as_RFC_4733_events()
    {
        const string number = "+15559990007";
        platform.App.Serve("/inbound/menu", $"""
            <Response>
              <Gather numDigits="3" timeout="10" action="/inbound/menu-choice">
                <Play loop="10">{platform.App.Url("/tone.wav")}</Play>
              </Gather>
              <Say>No input.</Say>
            </Response>
            """);
        platform.App.Serve("/inbound/menu-choice", "<Response><Hangup/></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/menu")));
        var choice = WaitForRequest(r => r.Path == "/inbound/menu-choice");

        var dialled = _caller.Dial(platform.NodeSipUdpPort, number);
        await WaitForAudioAsync(dialled);
        dialled.Call.SendDtmf("427");
        var action = await choice.WaitAsync(CallTimeout);
        await dialled.Call.Completion.WaitAsync(CallTimeout);

        Assert.Equal("427", action.Parameters["Digits"]);
        Assert.Equal("inbound", action.Parameters["Direction"]);
        Assert.Equal("in-progress", action.Parameters["CallStatus"]);
        await platform.WaitForStatusAsync(action.Parameters["CallSid"], CallTimeout, "completed");
    }

    [Fact]
    public async Task A_live_redirect_through_the_API_reaches_an_inbound_call()
    {
        const string number = "+15559990008";
        platform.App.Serve("/inbound/wait", "<Response><Pause length=\"60\"/></Response>");
        platform.App.Serve("/inbound/redirected", "<Response><Hangup/></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/wait")));
        var fetched = WaitForRequest(r => r.Path == "/inbound/wait");
        var redirected = WaitForRequest(r => r.Path == "/inbound/redirected");

        var dialled = _caller.Dial(platform.NodeSipUdpPort, number);
        var sid = (await fetched.WaitAsync(CallTimeout)).Parameters["CallSid"];
        await platform.WaitForStatusAsync(sid, CallTimeout, "in-progress");
        await platform.UpdateCallAsync(sid, ("Url", platform.App.Url("/inbound/redirected")));
        var request = await redirected.WaitAsync(TimeSpan.FromSeconds(20));
        var end = await dialled.Call.Completion.WaitAsync(CallTimeout);

        Assert.Equal(sid, request.Parameters["CallSid"]);
        Assert.Equal(CallEndCause.RemoteHangup, end.Cause);
        Assert.Equal("completed", (await platform.WaitForStatusAsync(sid, CallTimeout, "completed")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Hangup_as_the_first_verb_answers_then_hangs_up_as_Twilio_does()
    {
        const string number = "+15559990009";
        platform.App.Serve("/inbound/hangup-first", "<Response><Hangup/></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/hangup-first")));
        var fetched = WaitForRequest(r => r.Path == "/inbound/hangup-first");

        var dialled = _caller.Dial(platform.NodeSipUdpPort, number);
        var end = await dialled.Call.Completion.WaitAsync(CallTimeout);
        var sid = (await fetched.WaitAsync(CallTimeout)).Parameters["CallSid"];

        Assert.True(end.WasAnswered);
        Assert.Equal(CallEndCause.RemoteHangup, end.Cause);
        Assert.Equal("completed", (await platform.WaitForStatusAsync(sid, CallTimeout, "completed", "failed")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_number_of_a_suspended_account_is_refused_with_403()
    {
        const string number = "+15559990011";
        using var admin = new HttpClient { BaseAddress = platform.Api.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = Basic("admin", PlatformFixture.AdminKey);
        var created = await JsonAsync(await admin.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", "suspended tenant"))));
        var sid = created.GetProperty("sid").GetString()!;
        using var tenant = new HttpClient { BaseAddress = platform.Api.BaseAddress };
        tenant.DefaultRequestHeaders.Authorization = Basic(sid, created.GetProperty("auth_token").GetString()!);
        await JsonAsync(await admin.PostAsync("/v1/PhoneNumbers", Form(("PhoneNumber", number))));
        await JsonAsync(await tenant.PostAsync($"/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json",
            Form(("PhoneNumber", number), ("VoiceUrl", platform.App.Url("/inbound/never")))));
        await JsonAsync(await admin.PostAsync($"/2010-04-01/Accounts/{sid}.json", Form(("Status", "suspended"))));

        var end = await _caller.Dial(platform.NodeSipUdpPort, number).Call.Completion.WaitAsync(CallTimeout);

        Assert.Equal(403, end.SipStatus);
        Assert.DoesNotContain(platform.App.Requests, r => r.Path == "/inbound/never");
    }

    private Task<AppRequest> WaitForRequest(Func<AppRequest, bool> match)
    {
        var seen = new TaskCompletionSource<AppRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        platform.App.RequestReceived += r =>
        {
            if (match(r))
            {
                seen.TrySetResult(r);
            }
        };
        return seen.Task;
    }

    private static async Task WaitForAudioAsync(CallerCall dialled)
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dialled.Recorder.LoudFrame += () => heard.TrySetResult();
        await heard.Task.WaitAsync(CallTimeout);
    }

    private async Task<int> CallCountAsync()
    {
        var page = await platform.Api.GetStringAsync($"/2010-04-01/Accounts/{platform.AccountSid}/Calls.json?PageSize=1000");
        return System.Text.Json.JsonDocument.Parse(page).RootElement.GetProperty("calls").GetArrayLength();
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static System.Net.Http.Headers.AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + secret)));

    private static async Task<System.Text.Json.JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _caller.DisposeAsync();
}
