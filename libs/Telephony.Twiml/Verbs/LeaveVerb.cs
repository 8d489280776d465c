using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>&lt;Leave&gt; outside a queue's wait document has nothing to leave: the program continues.</summary>
public sealed class LeaveVerb : VerbRunner<Leave>
{
    protected override Task<VerbResult> RunAsync(Leave verb, VerbContext context, CancellationToken cancellationToken) =>
        Task.FromResult(VerbResult.Continue);
}
