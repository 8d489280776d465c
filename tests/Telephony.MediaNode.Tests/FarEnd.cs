using System.Collections.Concurrent;
using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>What the far end does with a call to a number.</summary>
public enum FarEndBehavior
{
    AnswerAndRecord,
    Busy,
    RingForever,
    Unavailable,
}

/// <summary>
/// The far end of outbound calls: a real <see cref="SipUserAgent"/> on loopback that answers, rejects or rings
/// by dialled number, and records the audio it receives on answered calls.
/// </summary>
public sealed class FarEnd : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FarEndBehavior> _behaviors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FarEndCall>> _calls = new(StringComparer.Ordinal);

    public FarEnd()
    {
        Agent = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, FreePorts.Udp()))],
            Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = 42000, MaxPort = 43998 },
        });
        Agent.IncomingCall += OnIncoming;
    }

    public SipUserAgent Agent { get; }

    public int Port => Agent.LocalEndPoint().Address.Port;

    public void Set(string number, FarEndBehavior behavior) => _behaviors[number.TrimStart('+')] = behavior;

    /// <summary>The call that arrives for <paramref name="number"/> (the INVITE's user part).</summary>
    public Task<FarEndCall> CallTo(string number) => Slot(number.TrimStart('+')).Task;

    private TaskCompletionSource<FarEndCall> Slot(string user) =>
        _calls.GetOrAdd(user, _ => new TaskCompletionSource<FarEndCall>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void OnIncoming(SipCall call)
    {
        var user = (call.Invite?.Uri.User ?? string.Empty).TrimStart('+');
        var recorded = new FarEndCall(call);
        switch (_behaviors.GetValueOrDefault(user, FarEndBehavior.AnswerAndRecord))
        {
            case FarEndBehavior.Busy:
                call.Reject(486);
                break;
            case FarEndBehavior.Unavailable:
                call.Reject(503);
                break;
            case FarEndBehavior.RingForever:
                call.Ring();
                break;
            default:
                call.Ring();
                if (call.Media is { } media)
                {
                    media.AudioSink = recorded.Recorder;
                }

                call.Answer();
                break;
        }

        Slot(user).TrySetResult(recorded);
    }

    public ValueTask DisposeAsync() => Agent.DisposeAsync();
}

/// <summary>A call the far end received, with the audio it heard.</summary>
public sealed class FarEndCall(SipCall call)
{
    public SipCall Call { get; } = call;

    public AudioRecorder Recorder { get; } = new();
}

/// <summary>Keeps every 20 ms frame received (audio or not), and raises an event when one is loud.</summary>
public sealed class AudioRecorder : IAudioSink
{
    private readonly List<short> _samples = [];
    private readonly Lock _gate = new();

    /// <summary>Raised (on the pacer thread) for each frame that carries audio above a quiet level.</summary>
    public event Action? LoudFrame;

    public short[] Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        lock (_gate)
        {
            _samples.AddRange(frame);
        }

        if (hasAudio && AudioAnalysis.Rms(frame) > 300)
        {
            LoudFrame?.Invoke();
        }
    }
}
