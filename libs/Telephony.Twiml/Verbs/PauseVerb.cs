using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>&lt;Pause&gt;: silence for length seconds.</summary>
public sealed class PauseVerb : VerbRunner<Pause>
{
    protected override async Task<VerbResult> RunAsync(Pause verb, VerbContext context, CancellationToken cancellationToken) =>
        await RunPromptAsync(verb, context, stopOnDigit: false, cancellationToken) == PromptOutcome.CallerHungUp
            ? PromptVerbs.CallerGone
            : VerbResult.Continue;

    public static Task<PromptOutcome> RunPromptAsync(Pause verb, VerbContext context, bool stopOnDigit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(context);
        return verb.Length <= 0
            ? Task.FromResult(PromptOutcome.Completed)
            : context.Session.PauseAsync(TimeSpan.FromSeconds(verb.Length), stopOnDigit, cancellationToken);
    }
}
