using Telephony.Core.Presence;
using Telephony.MediaNode.Bridging;
using Telephony.MediaNode.Dialing;
using Telephony.Sip.Calls;
using Telephony.Twiml.Model;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// An API call with <c>To=client:alice</c>: the registrations <see cref="ClientTargetResolver"/> finds (the same legs a
/// &lt;Dial&gt;&lt;Client&gt; rings) are INVITEd at once; the first to answer is the call, the others are CANCELed.
/// No reachable registration, or none answering, ends the call as Twilio does: no-answer (then busy, then failed).
/// </summary>
public sealed class ClientDialer(ClientTargetResolver resolver, OutboundDialer dialer)
{
    private static readonly DialResult NotRegistered =
        new(null, new CallEnd(480, "client not registered", CallEndCause.Rejected, TwilioCallStatus.NoAnswer, false), "presence");

    public static bool IsClient(string to) => ClientIdentity.FromAddress(to) is not null;

    public async Task<DialResult> DialAsync(CallIdentity call, DialRequest request, Action onRinging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var identity = ClientIdentity.FromAddress(request.To) ?? string.Empty;
        var legs = await resolver.LegsAsync(new DialClient { Identity = identity }, identity, new Dictionary<string, string>(), call, request.From, cancellationToken);
        if (legs.Count == 0)
        {
            return NotRegistered;
        }

        var rang = 0;
        void RingOnce()
        {
            if (Interlocked.Exchange(ref rang, 1) == 0)
            {
                onRinging();
            }
        }

        using var others = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var winner = new TaskCompletionSource<DialResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<DialResult> RingAsync(DialLegPlan leg)
        {
            var result = await dialer.DialAsync(leg.Routes, request with { Headers = leg.Headers }, null, RingOnce, others.Token);
            if (result.Answered is { } answered && !winner.TrySetResult(result))
            {
                answered.Hangup();
            }

            return result;
        }

        var all = Task.WhenAll(legs.Select(RingAsync));
        await Task.WhenAny(winner.Task, all);
        if (winner.Task.IsCompleted)
        {
            await others.CancelAsync();
            return await winner.Task;
        }

        var results = await all;
        return results.FirstOrDefault(r => r.Failure?.TwilioStatus == TwilioCallStatus.NoAnswer)
            ?? results.FirstOrDefault(r => r.Failure?.TwilioStatus == TwilioCallStatus.Busy)
            ?? results[0];
    }
}
