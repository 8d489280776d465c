using System.Text;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>
/// &lt;Gather&gt;: plays its prompts (a key press interrupts them when bargeIn), then collects digits until
/// finishOnKey, numDigits or timeout (first and between digits). Input goes to action (default: this document);
/// no input falls through to the next verb unless actionOnEmptyResult.
/// </summary>
public sealed class GatherVerb : VerbRunner<Gather>
{
    protected override async Task<VerbResult> RunAsync(Gather verb, VerbContext context, CancellationToken cancellationToken)
    {
        if (verb.Input != "dtmf")
        {
            context.Notify(new TwimlNotification(TwimlErrorCodes.UnsupportedVerb,
                $"<Gather input=\"{verb.Input}\">: speech recognition is not available on this platform; only DTMF is collected"));
        }

        context.Session.DiscardPendingDigits();
        var interruptible = verb.BargeIn && verb.AcceptsDtmf;
        foreach (var prompt in verb.Prompts)
        {
            var outcome = await PromptVerbs.RunAsync(prompt, context, interruptible, cancellationToken);
            if (outcome == PromptOutcome.CallerHungUp)
            {
                return PromptVerbs.CallerGone;
            }

            if (outcome == PromptOutcome.Interrupted)
            {
                break;
            }
        }

        if (!interruptible)
        {
            // Without barge-in, keys pressed while the prompts played are not input.
            context.Session.DiscardPendingDigits();
        }

        var digits = new StringBuilder();
        string? finishedOnKey = null;
        var timeout = TimeSpan.FromSeconds(verb.Timeout);
        while (verb.NumDigits is null || digits.Length < verb.NumDigits)
        {
            var read = await context.Session.ReadDigitAsync(timeout, cancellationToken);
            if (read.CallerHungUp)
            {
                return PromptVerbs.CallerGone;
            }

            if (read.Digit is not { } digit)
            {
                break;
            }

            if (verb.FinishOnKey.Length == 1 && digit == verb.FinishOnKey[0])
            {
                finishedOnKey = verb.FinishOnKey;
                break;
            }

            digits.Append(digit);
        }

        context.Emit(CallEventTypes.Digits, ("digits", digits.ToString()), ("finishedOnKey", finishedOnKey ?? string.Empty));
        if (digits.Length == 0 && !verb.ActionOnEmptyResult)
        {
            return VerbResult.Continue;
        }

        return VerbResult.Fetch(verb.Action ?? context.DocumentUrl, verb.Method,
        [
            new("Digits", digits.ToString()),
            new("FinishedOnKey", finishedOnKey ?? string.Empty),
        ]);
    }
}
