using Telephony.Twiml.Model;
using Telephony.Twiml.Verbs;

namespace Telephony.Twiml.Interpreting;

/// <summary>Which runner runs which verb type; anything without one is refused by <see cref="UnsupportedVerb"/>.</summary>
public sealed class VerbRegistry
{
    private readonly Dictionary<Type, IVerbRunner> _runners = [];
    private readonly UnsupportedVerb _unsupported = new();

    public VerbRegistry(IEnumerable<IVerbRunner> runners)
    {
        ArgumentNullException.ThrowIfNull(runners);
        foreach (var runner in runners)
        {
            _runners[runner.VerbType] = runner;
        }
    }

    public static VerbRegistry Default { get; } = new(
    [
        new SayVerb(), new PlayVerb(), new PauseVerb(), new GatherVerb(), new RecordVerb(), new DialVerb(),
        new HangupVerb(), new RejectVerb(), new RedirectVerb(), new LeaveVerb(),
    ]);

    /// <summary>
    /// The verbs of a Dial noun's whisper (the url TwiML run on the called party before the bridge): every verb but
    /// &lt;Dial&gt;, which Twilio refuses there with 13201.
    /// </summary>
    public static VerbRegistry Whisper { get; } = new(
    [
        new SayVerb(), new PlayVerb(), new PauseVerb(), new GatherVerb(), new RecordVerb(), new WhisperDialRefusal(),
        new HangupVerb(), new RejectVerb(), new RedirectVerb(), new LeaveVerb(),
    ]);

    public IVerbRunner For(TwimlVerb verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return _runners.TryGetValue(verb.GetType(), out var runner) ? runner : _unsupported;
    }

    public bool Supports(TwimlVerb verb) => For(verb) is not UnsupportedVerb;
}
