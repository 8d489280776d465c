using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>
/// A valid TwiML verb this platform cannot run yet (Enqueue, Connect, Pay…): never skipped silently. The call
/// gets a notification naming it, then ends the way a Twilio call ends on an application error.
/// </summary>
public sealed class UnsupportedVerb : IVerbRunner
{
    public Type VerbType => typeof(TwimlVerb);

    public Task<VerbResult> RunAsync(TwimlVerb verb, VerbContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return Task.FromResult(Refuse($"<{verb.Name}>", context));
    }

    internal static VerbResult Refuse(string what, VerbContext context)
    {
        context.Notify(new TwimlNotification(TwimlErrorCodes.UnsupportedVerb,
            $"{what} is valid TwiML but is not supported by this platform yet; the call ends with an application error"));
        return new VerbResult.EndResult("failed", ApplicationError);
    }

    /// <summary>End reason that makes the interpreter play the application-error message before hanging up.</summary>
    internal const string ApplicationError = "application-error";
}
