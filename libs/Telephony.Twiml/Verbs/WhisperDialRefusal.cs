using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>
/// &lt;Dial&gt; inside a whisper (the TwiML a Dial noun's url runs on the called party): Twilio refuses it with 13201
/// ("Cannot Dial out from a Dial Call Segment"); the called party hears the application-error message and its leg ends.
/// </summary>
public sealed class WhisperDialRefusal : VerbRunner<Dial>
{
    protected override Task<VerbResult> RunAsync(Dial verb, VerbContext context, CancellationToken cancellationToken)
    {
        context.Notify(new TwimlNotification(TwimlErrorCodes.DialInDialCallSegment,
            "Dial: Cannot Dial out from a Dial Call Segment (a Dial noun's url TwiML may not contain <Dial>)"));
        return Task.FromResult<VerbResult>(new VerbResult.EndResult("failed", UnsupportedVerb.ApplicationError));
    }
}
