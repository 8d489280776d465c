using System.Collections.Concurrent;
using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;
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
    private readonly ConcurrentDictionary<string, double> _tones = new(StringComparer.Ordinal);

    /// <param name="codecs">Codecs it offers and accepts; null takes the agent's default (PCMU, PCMA).</param>
    /// <param name="tcp">Also take SIP over TCP (a client that registers over TCP is called back on its connection).</param>
    public FarEnd(IReadOnlyList<AudioCodec>? codecs = null, bool tcp = false)
    {
        var udp = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, FreePorts.Udp()));
        Agent = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = tcp ? [udp, new SipEndPoint(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, FreePorts.Tcp()))] : [udp],
            Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = 42000, MaxPort = 43998 },
            Codecs = codecs ?? [AudioCodec.Pcmu, AudioCodec.Pcma],
        });
        Agent.IncomingCall += OnIncoming;
    }

    /// <summary>Calls to <paramref name="number"/> that are answered send a continuous tone of <paramref name="hz"/>.</summary>
    public void SendTone(string number, double hz) => _tones[number.TrimStart('+')] = hz;

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
                    if (_tones.TryGetValue(user, out var hz))
                    {
                        media.AudioSource = new ToneSource(hz);
                    }
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

    /// <summary>A carrier's early media: 183 Session Progress with SDP, then a continuous tone of <paramref name="hz"/> while unanswered.</summary>
    public void SendEarlyMedia(double hz)
    {
        Play(hz);
        Call.Progress();
    }

    /// <summary>Answers (200 OK), sending a continuous tone of <paramref name="hz"/> from then on.</summary>
    public void AnswerWithTone(double hz)
    {
        Play(hz);
        Call.Answer();
    }

    private void Play(double hz)
    {
        if (Call.Media is { } media)
        {
            media.AudioSink = Recorder;
            media.AudioSource = new ToneSource(hz);
        }
    }
}

/// <summary>Keeps every 20 ms frame received (audio or not), and raises an event when one is loud.</summary>
public sealed class AudioRecorder : IAudioSink
{
    private readonly List<short> _samples = [];
    private readonly List<(int Start, int Length)> _audioFrames = [];
    private readonly List<ToneWatch> _watches = [];
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

    /// <summary>
    /// Completes once <paramref name="frames"/> received 20 ms frames were mostly a tone of <paramref name="hz"/>,
    /// counting frames heard before the call (a short prompt may be over before a busy test thread asks).
    /// </summary>
    public Task HeardTone(double hz, int frames) => Watch(new ToneWatch(hz, frames));

    /// <summary>Completes once <paramref name="frames"/> received 20 ms frames carried packets (loud or not), counting earlier ones.</summary>
    public Task Received(int frames) => Watch(new ToneWatch(null, frames));

    private Task Watch(ToneWatch watch)
    {
        lock (_gate)
        {
            var samples = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_samples);
            foreach (var (start, length) in _audioFrames)
            {
                watch.Observe(samples.Slice(start, length));
            }

            _watches.Add(watch);
        }

        return watch.Heard.Task;
    }

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        lock (_gate)
        {
            if (hasAudio)
            {
                _audioFrames.Add((_samples.Count, frame.Length));
            }

            _samples.AddRange(frame);
            if (hasAudio)
            {
                foreach (var watch in _watches)
                {
                    watch.Observe(frame);
                }
            }
        }

        if (hasAudio && AudioAnalysis.Rms(frame) > 300)
        {
            LoudFrame?.Invoke();
        }
    }
}

/// <summary>Counts frames carrying a tone (any received frame when <paramref name="hz"/> is null) until enough were heard.</summary>
internal sealed class ToneWatch(double? hz, int frames)
{
    private int _seen;

    public TaskCompletionSource Heard { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Observe(ReadOnlySpan<short> frame)
    {
        if ((hz is not { } tone || (AudioAnalysis.Rms(frame) > 300 && AudioAnalysis.ToneShare(frame, tone) > 0.8)) && ++_seen >= frames)
        {
            Heard.TrySetResult();
        }
    }
}

/// <summary>A continuous sine tone, 20 ms per pacer tick.</summary>
public sealed class ToneSource(double hz) : IAudioSource
{
    private long _position;

    public bool ReadFrame(Span<short> frame)
    {
        for (var i = 0; i < frame.Length; i++, _position++)
        {
            frame[i] = (short)(8000 * Math.Sin(2 * Math.PI * hz * _position / 8000.0));
        }

        return true;
    }
}
