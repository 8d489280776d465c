using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// Forwards digits between the two legs of a bridge while it lasts. Only RFC 4733 digits are re-sent: a leg without
/// telephone-event has its tones in the audio, which the bridge already carries. With hangupOnStar the caller's * ends
/// the bridge instead of reaching the callee.
/// </summary>
public sealed class DtmfRelay : IDisposable
{
    private readonly SipCall _caller;
    private readonly SipCall _callee;
    private readonly TaskCompletionSource? _star;

    public DtmfRelay(SipCall caller, SipCall callee, TaskCompletionSource? hangupOnStar)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(callee);
        _caller = caller;
        _callee = callee;
        _star = hangupOnStar;
        caller.DtmfReceived += FromCaller;
        callee.DtmfReceived += FromCallee;
    }

    private void FromCaller(SipCall from, char digit)
    {
        if (digit == '*' && _star is not null)
        {
            _star.TrySetResult();
            return;
        }

        Forward(from, _callee, digit);
    }

    private void FromCallee(SipCall from, char digit) => Forward(from, _caller, digit);

    private static void Forward(SipCall from, SipCall to, char digit)
    {
        if (from.Audio?.TelephoneEventPayloadType is not null && !to.Completion.IsCompleted)
        {
            to.SendDtmf(digit.ToString());
        }
    }

    public void Dispose()
    {
        _caller.DtmfReceived -= FromCaller;
        _callee.DtmfReceived -= FromCallee;
    }
}
