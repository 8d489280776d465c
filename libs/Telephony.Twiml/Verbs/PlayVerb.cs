using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>&lt;Play&gt;: play the URL loop times (0 = until the call ends), or send DTMF when digits is set.</summary>
public sealed class PlayVerb : VerbRunner<Play>
{
    protected override async Task<VerbResult> RunAsync(Play verb, VerbContext context, CancellationToken cancellationToken) =>
        await RunPromptAsync(verb, context, stopOnDigit: false, cancellationToken) == PromptOutcome.CallerHungUp
            ? PromptVerbs.CallerGone
            : VerbResult.Continue;

    public static async Task<PromptOutcome> RunPromptAsync(Play verb, VerbContext context, bool stopOnDigit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(context);
        if (verb.Digits is not null)
        {
            return await context.Session.SendDigitsAsync(verb.Digits, cancellationToken);
        }

        if (verb.Url.Length == 0)
        {
            return PromptOutcome.Completed;
        }

        var url = Urls.Resolve(verb.Url, context.DocumentUrl);
        for (var i = 0; i < context.Repetitions(verb.Loop); i++)
        {
            var outcome = await context.Session.PlayAsync(url, stopOnDigit, cancellationToken);
            if (outcome != PromptOutcome.Completed)
            {
                return outcome;
            }
        }

        return PromptOutcome.Completed;
    }
}
