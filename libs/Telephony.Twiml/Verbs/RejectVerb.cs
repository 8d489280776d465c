using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>
/// &lt;Reject&gt;: refuse an incoming call without answering (busy, or rejected = not answered). Once the call is
/// answered a reject can only hang up; that is reported as a warning.
/// </summary>
public sealed class RejectVerb : VerbRunner<Reject>
{
    protected override async Task<VerbResult> RunAsync(Reject verb, VerbContext context, CancellationToken cancellationToken)
    {
        if (context.Session.IsAnswered)
        {
            context.Notify(new TwimlNotification(TwimlErrorCodes.SchemaValidationWarning,
                "<Reject> after the call was answered: the call is hung up instead"));
            await context.Session.HangupAsync(cancellationToken);
            return VerbResult.End("completed", "reject-after-answer");
        }

        await context.Session.RejectAsync(verb.Reason, cancellationToken);
        return VerbResult.End(verb.Reason == "busy" ? "busy" : "no-answer", "rejected-" + verb.Reason);
    }
}
