using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>&lt;Hangup&gt;: end the call.</summary>
public sealed class HangupVerb : VerbRunner<Hangup>
{
    protected override async Task<VerbResult> RunAsync(Hangup verb, VerbContext context, CancellationToken cancellationToken)
    {
        await context.Session.HangupAsync(cancellationToken);
        return VerbResult.End("completed", "hangup-verb");
    }
}
