using System.Diagnostics;
using System.Text.Json;
using Telephony.Core.Webhooks;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Simulation;
using Telephony.Twiml.Tests.Fetching;

namespace Telephony.Twiml.Tests.Simulation;

/// <summary>Simulated calls against a real (loopback) voice application: one scenario per supported verb.</summary>
public sealed class CallSimulatorTests : IAsyncDisposable
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string Token = "simulator-token-0123456789abcdef";
    private readonly LoopbackAppServer _app = new();
    private readonly InstructionFetcher _fetcher = new(new InstructionFetcherOptions { AllowInternalAddresses = true });

    public async ValueTask DisposeAsync()
    {
        _fetcher.Dispose();
        await _app.DisposeAsync();
    }

    private void Serve(string path, string verbs) => _app.MapTwiml(path, "<Response>" + verbs + "</Response>");

    private Task<SimulationResult> SimulateAsync(string json) =>
        new CallSimulator(_fetcher).RunAsync(
            JsonSerializer.Deserialize<SimulationSpec>(json.Replace("{app}", _app.BaseUrl, StringComparison.Ordinal))!,
            AccountSid, Token, CancellationToken.None);

    private static string[] Types(SimulationResult result) => [.. result.Events.Select(e => e.Type)];

    [Fact]
    public async Task Ivr_menu_with_digits_runs_say_gather_and_the_action_document()
    {
        Serve("/ivr", "<Say>Welcome</Say><Gather action=\"/choice\" numDigits=\"1\"><Say>Press 1 for sales</Say></Gather><Say>Goodbye</Say>");
        Serve("/choice", "<Say>Connecting you to sales</Say><Hangup/>");

        var result = await SimulateAsync("""{"url":"{app}/ivr","from":"+15551230000","to":"+15557654321","caller":[{"after":2,"digits":"1"}]}""");

        Assert.Equal(("completed", "hangup-verb"), (result.Status, result.EndReason));
        Assert.Equal(["fetch", "verb", "verb", "digits", "fetch", "verb", "verb", "hangup"], Types(result));
        Assert.Equal(["Welcome", "Connecting you to sales"], result.Events.Where(e => e.Type == "verb" && e.Details["name"] == "Say").Select(e => e.Details["text"]));
        var digits = result.Events.Single(e => e.Type == "digits");
        Assert.Equal(("1", 2000L), (digits.Details["digits"], digits.At));
        var choice = Assert.Single(_app.For("/choice"));
        Assert.Equal("1", choice.Param("Digits"));
        Assert.True(RequestSignature.Validate(Token, choice.Header(RequestSignature.HeaderName), choice.FullUrl, choice.Form));
        Assert.Equal(AccountSid, choice.Param("AccountSid"));
    }

    [Fact]
    public async Task Voicemail_records_the_caller_and_posts_the_recording()
    {
        Serve("/vm", "<Say>Leave a message</Say><Record action=\"/saved\" timeout=\"3\" maxLength=\"60\"/>");
        Serve("/saved", "<Say>Thanks</Say>");

        var result = await SimulateAsync("""{"url":"{app}/vm","caller":[{"after":3,"speak":12.5}]}""");

        var record = result.Events.Single(e => e.Type == "record");
        Assert.Equal(("13", "false"), (record.Details["duration"], record.Details["empty"]));
        Assert.Equal("13", Assert.Single(_app.For("/saved")).Param("RecordingDuration"));
        Assert.Equal("end-of-document", result.EndReason);
    }

    [Fact]
    public async Task Dial_outcomes_are_scripted()
    {
        Serve("/forward", "<Dial action=\"/after\" timeout=\"20\"><Number>+15550001111</Number></Dial>");
        Serve("/after", "<Say>Sorry</Say>");

        var busy = await SimulateAsync("""{"url":"{app}/forward","dial":{"outcome":"busy"}}""");
        var answered = await SimulateAsync("""{"url":"{app}/forward","dial":{"outcome":"completed","answerAfter":4,"hangupAfter":90}}""");

        Assert.Equal("busy", busy.Events.Single(e => e.Type == "dial").Details["status"]);
        var dial = answered.Events.Single(e => e.Type == "dial");
        Assert.Equal(("completed", "90", "true"), (dial.Details["status"], dial.Details["duration"], dial.Details["bridged"]));
        Assert.Equal(["busy", "completed"], _app.For("/after").Select(r => r.Param("DialCallStatus")));
    }

    [Fact]
    public async Task Play_pause_redirect_and_reject_scenarios()
    {
        Serve("/start", "<Play loop=\"2\">https://cdn.example/jingle.mp3</Play><Pause length=\"3\"/><Redirect>/next</Redirect>");
        Serve("/next", "<Leave/><Say>Done</Say>");
        Serve("/reject", "<Reject reason=\"busy\"/>");

        var played = await SimulateAsync("""{"url":"{app}/start","playSeconds":7}""");
        var rejected = await SimulateAsync("""{"url":"{app}/reject"}""");

        Assert.Equal(7 + 7 + 3 + 0.4, played.Duration, 3);
        Assert.Equal(2, played.Events.Count(e => e.Type == "fetch"));
        Assert.Equal(["Play", "Pause", "Redirect", "Leave", "Say"], played.Events.Where(e => e.Type == "verb").Select(e => e.Details["name"]));
        Assert.Equal(("busy", 0.0), (rejected.Status, rejected.Duration));
    }

    [Fact]
    public async Task Caller_hang_up_ends_the_simulation()
    {
        Serve("/hold", "<Say>Please hold</Say><Play loop=\"0\">https://cdn.example/hold.mp3</Play>");

        var result = await SimulateAsync("""{"url":"{app}/hold","caller":[{"after":125,"hangup":true}]}""");

        Assert.Equal(("completed", "caller-hung-up", 125.0), (result.Status, result.EndReason, result.Duration));
        Assert.Equal(125_000, result.Events[^1].At);
    }

    [Fact]
    public async Task A_four_hour_call_simulates_in_far_less_real_time()
    {
        Serve("/long", "<Dial timeLimit=\"14400\">+15550001111</Dial>");

        var stopwatch = Stopwatch.StartNew();
        var result = await SimulateAsync("""{"url":"{app}/long","dial":{"answerAfter":1,"hangupAfter":20000},"maxDurationSeconds":20000}""");

        Assert.Equal(14401.0, result.Duration);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), stopwatch.Elapsed.ToString());
    }

    [Fact]
    public async Task Looping_applications_stop_at_the_fetch_bound_with_a_notification()
    {
        Serve("/loop", "<Gather timeout=\"1\"/><Redirect>/loop</Redirect>");

        var result = await SimulateAsync("""{"url":"{app}/loop"}""");

        Assert.Equal(CallSimulator.MaxFetches, _app.For("/loop").Length);
        Assert.Contains(result.Notifications, n => n.Message.Contains("simulation stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Application_errors_are_reported_as_notification_events()
    {
        _app.Map("/broken", _ => AppAnswer.Status(500));

        var result = await SimulateAsync("""{"url":"{app}/broken"}""");

        var notification = result.Events.Single(e => e.Type == "notification");
        Assert.Equal("11200", notification.Details["code"]);
        Assert.Equal("application-error", result.EndReason);
    }

    [Fact]
    public async Task Outbound_calls_start_answered_and_say_so_in_CallStatus()
    {
        Serve("/out", "<Hangup/>");

        await SimulateAsync("""{"url":"{app}/out","direction":"outbound-api","method":"GET"}""");

        var first = Assert.Single(_app.For("/out"));
        Assert.Equal(("GET", "in-progress", "outbound-api"), (first.Method, first.Param("CallStatus"), first.Param("Direction")));
    }
}
