using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>&lt;Say&gt;: speak the text loop times (0 = until the call ends).</summary>
public sealed class SayVerb : VerbRunner<Say>
{
    protected override async Task<VerbResult> RunAsync(Say verb, VerbContext context, CancellationToken cancellationToken) =>
        await RunPromptAsync(verb, context, stopOnDigit: false, cancellationToken) == PromptOutcome.CallerHungUp
            ? PromptVerbs.CallerGone
            : VerbResult.Continue;

    /// <summary>Also used by Gather for nested prompts (interruptible there).</summary>
    public static async Task<PromptOutcome> RunPromptAsync(Say verb, VerbContext context, bool stopOnDigit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(context);
        if (verb.Text.Length == 0 && verb.Ssml is null)
        {
            return PromptOutcome.Completed;
        }

        var speech = new SpeechRequest(verb.Text, verb.Ssml, verb.Voice, verb.Language);
        for (var i = 0; i < context.Repetitions(verb.Loop); i++)
        {
            var outcome = await context.Session.SayAsync(speech, stopOnDigit, cancellationToken);
            if (outcome != PromptOutcome.Completed)
            {
                return outcome;
            }
        }

        return PromptOutcome.Completed;
    }
}
