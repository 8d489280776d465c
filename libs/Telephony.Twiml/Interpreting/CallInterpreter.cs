using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Diagnostics;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Verbs;

namespace Telephony.Twiml.Interpreting;

/// <summary>
/// Runs a call's program verb by verb. It only sequences: each verb's runner decides what happens; the
/// interpreter fetches the next document when a verb asks (action, Redirect), ends the call at the end of a
/// document, and turns fetch failures into Twilio's application-error message and hang-up.
/// </summary>
public sealed class CallInterpreter(
    IInstructionSource instructions,
    TimeProvider time,
    ILogger<CallInterpreter>? logger = null,
    InterpreterOptions? options = null,
    VerbRegistry? verbs = null)
{
    /// <summary>The end reason of a program that ran out of verbs (the call was hung up unless the options say otherwise).</summary>
    public const string EndOfDocument = "end-of-document";

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly InterpreterOptions _options = options ?? new InterpreterOptions();
    private readonly VerbRegistry _verbs = verbs ?? VerbRegistry.Default;

    /// <summary>Fetches the call's Url (with FallbackUrl) and runs what it returns until the call ends.</summary>
    public Task<CallOutcome> RunAsync(CallContext call, ICallSession session, ICallEventSink events, CancellationToken cancellationToken) =>
        RunAsync(call, session, events, initialProgram: null, cancellationToken);

    /// <summary>Runs <paramref name="initialProgram"/> (e.g. inline Twiml) if given, else fetches the call's Url first.</summary>
    public async Task<CallOutcome> RunAsync(
        CallContext call, ICallSession session, ICallEventSink events, TwimlProgram? initialProgram, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(events);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = call.CallSid, ["AccountSid"] = call.AccountSid });
        var start = time.GetUtcNow();
        var context = new VerbContext(session, time, start, events, _options) { DocumentUrl = call.Url };

        var program = initialProgram;
        if (program is null)
        {
            var first = await FetchAsync(call, context, new FetchRequest
            {
                Url = call.Url,
                Method = call.Method,
                FallbackUrl = call.FallbackUrl,
                FallbackMethod = call.FallbackMethod,
                AuthToken = call.AuthToken,
                Parameters = call.StandardParameters(session.IsAnswered ? "in-progress" : "ringing"),
            }, cancellationToken);
            if (first.Program is null)
            {
                return await FailOrPlayAsync(first, context, start, cancellationToken);
            }

            program = first.Program;
        }

        var fetchesWithoutProgress = 0;
        while (true)
        {
            var (result, progressed) = await RunDocumentAsync(program, context, cancellationToken);
            fetchesWithoutProgress = progressed ? 0 : fetchesWithoutProgress + 1;
            switch (result)
            {
                case VerbResult.EndResult end when end.Reason == UnsupportedVerb.ApplicationError:
                    return await ApplicationErrorAsync(context, start, cancellationToken);
                case VerbResult.EndResult end:
                    return Finish(context, start, end.Status, end.Reason);
                case VerbResult.FetchNext next:
                    if (fetchesWithoutProgress >= _options.MaxFetchesWithoutProgress)
                    {
                        context.Notify(new TwimlNotification(TwimlErrorCodes.SchemaValidationWarning,
                            $"{fetchesWithoutProgress} documents in a row ran no verb that takes call time (a Redirect loop); the call is ended"));
                        return await ApplicationErrorAsync(context, start, cancellationToken);
                    }

                    var fetched = await FetchAsync(call, context, new FetchRequest
                    {
                        Url = next.Url,
                        Method = next.Method,
                        BaseUrl = context.DocumentUrl,
                        AuthToken = call.AuthToken,
                        Parameters = [.. call.StandardParameters(next.EndAfterwards ? "completed" : "in-progress"), .. next.Parameters],
                    }, cancellationToken);
                    if (next.EndAfterwards)
                    {
                        // The caller already hung up: the action is informed, its answer cannot run.
                        return Finish(context, start, "completed", next.EndReason ?? "caller-hung-up");
                    }

                    if (fetched.Program is null)
                    {
                        return await FailOrPlayAsync(fetched, context, start, cancellationToken);
                    }

                    program = fetched.Program;
                    break;
                default:
                    // Any answer but a leading <Reject> answers the call, even an empty one (Twilio bills it).
                    await EnsureAnsweredAsync(context, cancellationToken);
                    if (_options.EndOfDocumentHangsUp)
                    {
                        await session.HangupAsync(cancellationToken);
                    }

                    return Finish(context, start, "completed", EndOfDocument);
            }
        }
    }

    /// <summary>Runs verbs until one ends the call or asks for a new document; null result = end of document.</summary>
    private async Task<(VerbResult? Result, bool Progressed)> RunDocumentAsync(TwimlProgram program, VerbContext context, CancellationToken cancellationToken)
    {
        var startedAt = context.Elapsed;
        foreach (var verb in program.Verbs)
        {
            var runner = _verbs.For(verb);
            if (!context.Session.IsAnswered && verb is not Reject && runner is not UnsupportedVerb && !(verb is Dial { AnswerOnBridge: true }))
            {
                await context.Session.AnswerAsync(cancellationToken);
            }

            context.Emit(CallEventTypes.Verb, ("name", verb.Name), VerbSummary(verb));
            var result = await runner.RunAsync(verb, context, cancellationToken);
            if (result is not VerbResult.ContinueResult)
            {
                return (result, context.Elapsed > startedAt);
            }
        }

        return (null, context.Elapsed > startedAt);
    }

    /// <summary>The one detail that tells verbs apart in an event log.</summary>
    private static (string Key, string? Value) VerbSummary(TwimlVerb verb) => verb switch
    {
        Say say => ("text", say.Text),
        Play play => play.Digits is not null ? ("digits", play.Digits) : ("url", play.Url),
        Pause pause => ("length", pause.Length.ToString(CultureInfo.InvariantCulture)),
        Gather gather => ("action", gather.Action),
        Record record => ("action", record.Action),
        Dial dial => ("targets", string.Join(",", dial.Targets.Select(DialTargetAddress))),
        Redirect redirect => ("url", redirect.Url),
        Reject reject => ("reason", reject.Reason),
        _ => ("name", verb.Name),
    };

    private static string DialTargetAddress(DialTarget target) => target switch
    {
        DialNumber number => number.Number,
        DialSip sip => sip.Uri,
        DialClient client => "client:" + client.Identity,
        DialConference conference => "conference:" + conference.RoomName,
        DialQueue queue => "queue:" + queue.QueueName,
        _ => target.Name,
    };

    private async Task<FetchResult> FetchAsync(CallContext call, VerbContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        FetchResult result;
        using (var span = TelephonyTelemetry.Twiml.StartActivity("instructions.fetch", ActivityKind.Client).TagCall(call.CallSid, call.AccountSid))
        {
            var started = time.GetTimestamp();
            result = await instructions.FetchAsync(request, cancellationToken);
            TelephonyTelemetry.InstructionFetchDuration.Record(time.GetElapsedTime(started).TotalMilliseconds);
            span?.SetTag("http.request.method", request.Method);
            if (result.Error is not null)
            {
                span?.SetStatus(ActivityStatusCode.Error, result.Error.Code.ToString(CultureInfo.InvariantCulture));
            }
        }

        context.Emit(CallEventTypes.Fetch, ("url", result.DocumentUrl ?? request.Url), ("method", request.Method),
            ("outcome", result.Program is not null ? "twiml" : result.AudioUrl is not null ? "audio" : "error"),
            ("verbs", result.Program?.Verbs.Count.ToString(CultureInfo.InvariantCulture)));
        foreach (var notification in result.Notifications)
        {
            context.Notify(notification);
        }

        if (result.DocumentUrl is not null)
        {
            context.DocumentUrl = result.DocumentUrl;
        }

        if (result.Error is not null)
        {
            _logger.LogWarning("Instructions for {CallSid} failed: {Code} {Message}", call.CallSid, result.Error.Code, result.Error.Message);
        }

        return result;
    }

    private async Task<CallOutcome> FailOrPlayAsync(FetchResult result, VerbContext context, DateTimeOffset start, CancellationToken cancellationToken)
    {
        if (result.AudioUrl is null)
        {
            return await ApplicationErrorAsync(context, start, cancellationToken);
        }

        // An audio answer is played as if it were <Play>, then the call ends (a whisper connects the parties instead).
        await EnsureAnsweredAsync(context, cancellationToken);
        var played = await context.Session.PlayAsync(result.AudioUrl, false, cancellationToken);
        if (played != PromptOutcome.CallerHungUp && _options.EndOfDocumentHangsUp)
        {
            await context.Session.HangupAsync(cancellationToken);
        }

        return Finish(context, start, "completed", EndOfDocument);
    }

    private async Task<CallOutcome> ApplicationErrorAsync(VerbContext context, DateTimeOffset start, CancellationToken cancellationToken)
    {
        await EnsureAnsweredAsync(context, cancellationToken);
        var speech = new SpeechRequest(_options.ApplicationErrorMessage, null, "man", "en-US");
        if (await context.Session.SayAsync(speech, false, cancellationToken) != PromptOutcome.CallerHungUp)
        {
            await context.Session.HangupAsync(cancellationToken);
        }

        return Finish(context, start, "completed", UnsupportedVerb.ApplicationError);
    }

    private static async Task EnsureAnsweredAsync(VerbContext context, CancellationToken cancellationToken)
    {
        if (!context.Session.IsAnswered)
        {
            await context.Session.AnswerAsync(cancellationToken);
        }
    }

    private static CallOutcome Finish(VerbContext context, DateTimeOffset start, string status, string reason)
    {
        context.Emit(CallEventTypes.Hangup, ("reason", reason), ("status", status));
        return new CallOutcome(status, context.Time.GetUtcNow() - start, reason, context.Notifications);
    }
}
