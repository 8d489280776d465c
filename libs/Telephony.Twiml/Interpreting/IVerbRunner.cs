using Telephony.Twiml.Model;

namespace Telephony.Twiml.Interpreting;

/// <summary>Runs one kind of verb. Each verb owns its attributes' semantics and its action parameters.</summary>
public interface IVerbRunner
{
    Type VerbType { get; }

    Task<VerbResult> RunAsync(TwimlVerb verb, VerbContext context, CancellationToken cancellationToken);
}

/// <summary>Typed base for verb runners.</summary>
public abstract class VerbRunner<TVerb> : IVerbRunner
    where TVerb : TwimlVerb
{
    public Type VerbType => typeof(TVerb);

    public Task<VerbResult> RunAsync(TwimlVerb verb, VerbContext context, CancellationToken cancellationToken) =>
        RunAsync((TVerb)verb, context, cancellationToken);

    protected abstract Task<VerbResult> RunAsync(TVerb verb, VerbContext context, CancellationToken cancellationToken);
}
