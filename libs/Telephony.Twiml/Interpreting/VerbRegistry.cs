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

    public IVerbRunner For(TwimlVerb verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return _runners.TryGetValue(verb.GetType(), out var runner) ? runner : _unsupported;
    }

    public bool Supports(TwimlVerb verb) => For(verb) is not UnsupportedVerb;
}
