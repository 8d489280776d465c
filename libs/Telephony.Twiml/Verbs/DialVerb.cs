using System.Globalization;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>
/// &lt;Dial&gt;: ring the targets (parallel, or in order when sequential) and bridge the first to answer. With an
/// action, its outcome (DialCallStatus, DialCallSid, DialCallDuration, DialBridged) goes there; without, the
/// program continues with the next verb once the dialed party hangs up.
/// </summary>
public sealed class DialVerb : VerbRunner<Dial>
{
    protected override async Task<VerbResult> RunAsync(Dial verb, VerbContext context, CancellationToken cancellationToken)
    {
        var unsupported = verb.Targets.FirstOrDefault(t => t is DialConference or DialQueue or DialOther);
        if (unsupported is not null)
        {
            return UnsupportedVerb.Refuse($"<Dial><{unsupported.Name}>", context);
        }

        var plan = new DialPlan(WithWhisperUrls(verb.Targets, context), verb.Sequential, TimeSpan.FromSeconds(verb.Timeout), verb.CallerId, verb.HangupOnStar,
            TimeSpan.FromSeconds(verb.TimeLimit), verb.AnswerOnBridge, verb.Record, verb.RingTone, Recording(verb, context));
        var outcome = await context.Session.DialAsync(plan, cancellationToken);
        var duration = ((int)Math.Round(outcome.BridgedDuration.TotalSeconds, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);
        context.Emit(CallEventTypes.Dial, ("status", outcome.Status), ("dialCallSid", outcome.DialCallSid), ("duration", duration),
            ("bridged", outcome.Bridged ? "true" : "false"));

        if (verb.Action is null)
        {
            return outcome.CallerHungUp ? PromptVerbs.CallerGone : VerbResult.Continue;
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("DialCallStatus", outcome.Status),
            new("DialBridged", outcome.Bridged ? "true" : "false"),
        };
        if (outcome.DialCallSid is not null)
        {
            parameters.Add(new("DialCallSid", outcome.DialCallSid));
        }

        if (outcome.Bridged)
        {
            parameters.Add(new("DialCallDuration", duration));
        }

        if (outcome.RecordingUrl is not null)
        {
            parameters.Add(new("RecordingUrl", outcome.RecordingUrl));
            parameters.Add(new("RecordingSid", outcome.RecordingSid ?? string.Empty));
            var recorded = (int)Math.Round((outcome.RecordingDuration ?? TimeSpan.Zero).TotalSeconds, MidpointRounding.AwayFromZero);
            parameters.Add(new("RecordingDuration", recorded.ToString(CultureInfo.InvariantCulture)));
        }

        return outcome.CallerHungUp
            ? VerbResult.ReportAndEnd(verb.Action, verb.Method, parameters, "caller-hung-up")
            : VerbResult.Fetch(verb.Action, verb.Method, parameters);
    }

    /// <summary>
    /// A noun's url (its whisper) resolves against this document, as every TwiML URL does. One that does not resolve to
    /// http(s) is reported here (11100) and kept: its fetch fails the same way on the called party's leg, which then hears
    /// the application-error message and is not connected (a call meant to be screened is never bridged unscreened).
    /// </summary>
    private static List<DialTarget> WithWhisperUrls(IReadOnlyList<DialTarget> targets, VerbContext context)
    {
        var resolved = new List<DialTarget>(targets.Count);
        foreach (var target in targets)
        {
            if (target.Url is not { } url)
            {
                resolved.Add(target);
                continue;
            }

            var absolute = Urls.Resolve(url.Trim(), context.DocumentUrl);
            if (!Urls.IsHttp(absolute))
            {
                context.Notify(new TwimlNotification(TwimlErrorCodes.InvalidUrlFormat,
                    $"Invalid URL format: <{target.Name} url=\"{url}\"> is not an http(s) URL or one relative to the document", url));
            }

            resolved.Add(target with { Url = absolute });
        }

        return resolved;
    }

    /// <summary>
    /// The record attribute: record-from-answer (or the legacy "true"), record-from-ringing and their -dual variants;
    /// do-not-record (or "false") records nothing.
    /// </summary>
    private static DialRecording? Recording(Dial verb, VerbContext context)
    {
        var mode = verb.Record;
        if (mode is "do-not-record" or "false")
        {
            return null;
        }

        return new DialRecording(
            FromRinging: mode.StartsWith("record-from-ringing", StringComparison.Ordinal),
            DualChannel: mode.EndsWith("-dual", StringComparison.Ordinal),
            TrimSilence: verb.Trim == "trim-silence",
            RecordingStatusCallbackReader.Read(verb.RecordingStatusCallback, verb.RecordingStatusCallbackMethod, verb.RecordingStatusCallbackEvent, "Dial", context));
    }
}
