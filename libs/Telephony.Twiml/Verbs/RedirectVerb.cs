using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>&lt;Redirect&gt;: continue with the TwiML at the URL (relative to this document).</summary>
public sealed class RedirectVerb : VerbRunner<Redirect>
{
    protected override Task<VerbResult> RunAsync(Redirect verb, VerbContext context, CancellationToken cancellationToken) =>
        Task.FromResult(VerbResult.Fetch(verb.Url, verb.Method, []));
}
