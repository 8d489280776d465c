using System.Globalization;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>
/// &lt;Record&gt;: beep, record until silence (timeout), a finish key, maxLength or hang-up. A non-empty recording
/// goes to action (default: this document) with RecordingUrl/Sid/Duration and Digits; an empty one falls through.
/// </summary>
public sealed class RecordVerb : VerbRunner<Record>
{
    protected override async Task<VerbResult> RunAsync(Record verb, VerbContext context, CancellationToken cancellationToken)
    {
        if (verb.Transcribe)
        {
            context.Notify(new TwimlNotification(TwimlErrorCodes.UnsupportedVerb,
                "<Record transcribe=\"true\">: transcription is not available on this platform; the recording is kept"));
        }

        var options = new RecordingOptions(
            TimeSpan.FromSeconds(verb.Timeout), TimeSpan.FromSeconds(verb.MaxLength), verb.FinishOnKey, verb.PlayBeep, verb.Trim == "trim-silence",
            StatusCallback(verb, context));
        var outcome = await context.Session.RecordAsync(options, cancellationToken);
        var seconds = ((int)Math.Round(outcome.Duration.TotalSeconds, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);
        context.Emit(CallEventTypes.Record, ("recordingUrl", outcome.RecordingUrl), ("duration", seconds), ("digits", outcome.Digits),
            ("empty", outcome.IsEmpty ? "true" : "false"));

        if (outcome.IsEmpty)
        {
            return outcome.CallerHungUp ? PromptVerbs.CallerGone : VerbResult.Continue;
        }

        List<KeyValuePair<string, string>> parameters =
        [
            new("RecordingUrl", outcome.RecordingUrl!),
            new("RecordingSid", outcome.RecordingSid ?? string.Empty),
            new("RecordingDuration", seconds),
            new("Digits", outcome.CallerHungUp ? "hangup" : outcome.Digits ?? string.Empty),
        ];
        var action = verb.Action ?? context.DocumentUrl;
        return outcome.CallerHungUp
            ? VerbResult.ReportAndEnd(action, verb.Method, parameters, "caller-hung-up")
            : VerbResult.Fetch(action, verb.Method, parameters);
    }

    private static RecordingStatusCallback? StatusCallback(Record verb, VerbContext context) =>
        RecordingStatusCallbackReader.Read(verb.RecordingStatusCallback, verb.RecordingStatusCallbackMethod, verb.RecordingStatusCallbackEvent, "Record", context);
}
