using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>Shared outcomes and dispatch for the prompt verbs (Say, Play, Pause) alone or inside Gather.</summary>
internal static class PromptVerbs
{
    public static VerbResult CallerGone { get; } = VerbResult.End("completed", "caller-hung-up");

    public static Task<PromptOutcome> RunAsync(TwimlVerb prompt, VerbContext context, bool stopOnDigit, CancellationToken cancellationToken) => prompt switch
    {
        Say say => SayVerb.RunPromptAsync(say, context, stopOnDigit, cancellationToken),
        Play play => PlayVerb.RunPromptAsync(play, context, stopOnDigit, cancellationToken),
        Pause pause => PauseVerb.RunPromptAsync(pause, context, stopOnDigit, cancellationToken),
        _ => throw new ArgumentException($"<{prompt.Name}> is not a prompt", nameof(prompt)),
    };
}
