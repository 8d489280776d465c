using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Sip.Dtmf;
using Telephony.Sip.Pacing;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Rtp;

/// <summary>
/// The media of one call leg. <see cref="Open"/> binds a UDP port; <see cref="Apply"/> takes the negotiated SDP; <see cref="Start"/>
/// registers with the pacer, which then sends one packet per 20 ms from <see cref="AudioSource"/> and plays received audio out of
/// the jitter buffer into <see cref="AudioSink"/> (or callers pull it with <see cref="ReadReceivedFrame"/>). Received digits arrive
/// on <see cref="Digits"/>; <see cref="SendDigits"/> sends them. RTP is sent where the peer's packets come from once they arrive
/// (symmetric RTP). Garbage datagrams are counted and ignored, never thrown.
/// </summary>
public sealed class RtpSession : IPacedStream, IAsyncDisposable
{
    private const int FrameSamples = 160;
    private const int PlayoutRingFrames = 16;
    private readonly Socket _socket;
    private readonly Socket _rtcpSocket;
    private readonly RtcpReporter _rtcp;
    private readonly RtpSessionOptions _options;
    private readonly ILogger _logger;
    // Receive-side state (receiver, jitter buffer, RTCP); the receive loop takes it for every datagram.
    private readonly Lock _gate = new();

    // Send-side state, never taken by the receive loop: the pacer's send cannot wait behind a receive thread.
    private readonly Lock _sendGate = new();
    private readonly RtpSender _sender;
    private readonly RtpReceiver _receiver;
    private readonly Channel<DtmfDigit> _digits = Channel.CreateUnbounded<DtmfDigit>();
    private readonly List<DtmfDigit> _digitScratch = [];
    private readonly short[] _sendFrame = new short[FrameSamples];
    private readonly short[] _playoutFrame = new short[FrameSamples];

    // Played-out frames on their way to the sink: written under the receive lock, read only by this stream's pacer thread.
    private readonly FrameRing _playout = new(PlayoutRingFrames);
    private readonly short[] _sinkFrame = new short[FrameSamples];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiveLoop;
    private readonly Task _rtcpReceiveLoop;
    private IPEndPoint? _signalledRemote;
    private volatile IPEndPoint? _remote;

    // Pacer ticks whose receive-side work found the receive lock busy; whoever holds the lock next does them, oldest first.
    private int _owedTicks;
    private bool _latched;
    private PacerRegistration? _registration;
    private volatile IAudioSource? _audioSource;
    private volatile IAudioSink? _audioSink;

    private RtpSession(Socket socket, Socket rtcpSocket, RtpSessionOptions options, ILogger logger)
    {
        _socket = socket;
        _rtcpSocket = rtcpSocket;
        _options = options;
        _logger = logger;
        _sender = new RtpSender(options.DtmfDurationMs);
        _receiver = new RtpReceiver(options);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _rtcp = new RtcpReporter(options.TimeProvider, options.RtcpInterval, options.CanonicalName ?? $"{Guid.NewGuid():N}@telephony");
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_socket, OnDatagram));
        _rtcpReceiveLoop = Task.Run(() => ReceiveLoopAsync(_rtcpSocket, OnRtcpDatagram));
    }

    /// <summary>Binds a free even port (RTP) and the one above it (RTCP) in the configured range and starts receiving.</summary>
    public static RtpSession Open(RtpSessionOptions? options = null, ILogger? logger = null)
    {
        options ??= new RtpSessionOptions();
        var (rtp, rtcp) = RtpPortBinder.BindPair(options.LocalAddress, options.MinPort, options.MaxPort);
        return new RtpSession(rtp, rtcp, options, logger ?? NullLogger.Instance);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The receive-side lock; tests hold it to stand for a receive thread preempted while holding it.</summary>
    internal Lock ReceiveLock => _gate;

    /// <summary>The SSRC this session sends with.</summary>
    public uint Ssrc => _sender.Ssrc;

    /// <summary>What to send; null sends silence. Swap it at any time (play, say, bridge).</summary>
    public IAudioSource? AudioSource
    {
        get => _audioSource;
        set => _audioSource = value;
    }

    /// <summary>Where received audio goes every 20 ms once started; null leaves it in the jitter buffer for <see cref="ReadReceivedFrame"/>.</summary>
    public IAudioSink? AudioSink
    {
        get => _audioSink;
        set => _audioSink = value;
    }

    /// <summary>Digits received as RFC 4733 events or in-band tones.</summary>
    public ChannelReader<DtmfDigit> Digits => _digits.Reader;

    /// <summary>Applies a negotiated stream (after an answer, or a re-INVITE): remote address, payload types, telephone-event, direction.</summary>
    public void Apply(NegotiatedAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        lock (_gate)
        {
            lock (_sendGate)
            {
                _sender.Configure(audio);
            }

            _receiver.Configure(audio);
            if (!Equals(audio.RemoteEndPoint, _signalledRemote))
            {
                // The first answer, or the peer moved its media: send there until its packets show where they come from.
                _signalledRemote = audio.RemoteEndPoint;
                _remote = audio.RemoteEndPoint;
                _latched = false;
            }
        }
    }

    /// <summary>Starts sending and playout on the pacer. Call once, after <see cref="Apply"/> or before it (nothing is sent until then).</summary>
    public void Start(RtpPacer pacer)
    {
        ArgumentNullException.ThrowIfNull(pacer);
        lock (_gate)
        {
            if (_registration is not null)
            {
                throw new InvalidOperationException("the RTP session is already started");
            }

            _registration = pacer.Register(this);
        }
    }

    /// <summary>Queues digits (<c>0-9 * # A-D</c>, <c>w</c> = 0.5 s pause, <c>W</c> = 1 s) as RFC 4733 events, or tones when the peer has no telephone-event.</summary>
    public void SendDigits(string digits) => _sender.Dtmf.Enqueue(digits);

    /// <summary>True while queued digits are still being sent.</summary>
    public bool IsSendingDigits => !_sender.Dtmf.IsIdle;

    /// <summary>Plays 20 ms out of the jitter buffer (160 samples); false when it is silence or concealment. Use when <see cref="AudioSink"/> is null.</summary>
    public bool ReadReceivedFrame(Span<short> frame)
    {
        lock (_gate)
        {
            return _receiver.JitterBuffer.Read(frame);
        }
    }

    public RtpSessionStats GetStats()
    {
        lock (_gate)
        {
            return new RtpSessionStats
            {
                PacketsSent = _sender.PacketsSent,
                SendErrors = _sender.SendErrors,
                PacketsReceived = _receiver.Statistics.Packets,
                PacketsLost = _receiver.Statistics.Lost,
                PacketsIgnored = _receiver.Ignored,
                JitterMs = _receiver.Statistics.JitterSamples / 8,
                JitterBuffer = _receiver.JitterBuffer.Stats,
                RemoteEndPoint = _remote,
                Latched = _latched,
                RtcpReportsSent = _rtcp.ReportsSent,
                RtcpReportsReceived = _rtcp.ReportsReceived,
                PeerReport = _rtcp.LastPeerReport,
                RoundTripMs = _rtcp.RoundTripMs,
            };
        }
    }

    /// <summary>
    /// One pacer tick: read the source, send a packet, play out received audio. The packet always leaves now, under the send lock
    /// that no receive thread takes. The receive-side work (20 ms out of the jitter buffer, digit timeouts, RTCP) needs the receive
    /// lock; when a receive thread holds it — and may have been preempted holding it, while the pacer runs at real-time priority —
    /// waiting would delay every stream after this one on the loop, so the tick is owed instead: the receive thread does it before
    /// it lets go (or this stream's next tick does, first). Played-out frames reach the sink only here, on the pacer thread, in
    /// order, through a lock-free ring, whoever played them out. The source and sink run outside the locks.
    /// </summary>
    public void OnTick()
    {
        var sendFrame = _sendFrame.AsSpan();
        sendFrame.Clear();
        _audioSource?.ReadFrame(sendFrame);
        lock (_sendGate)
        {
            _sender.Tick(_socket, _remote, sendFrame);
        }

        if (_gate.TryEnter())
        {
            try
            {
                PlayOutOwedTicks();
                PlayOutOneTick();
            }
            finally
            {
                _gate.Exit();
            }
        }
        else
        {
            Interlocked.Increment(ref _owedTicks);
        }

        DeliverPlayout();
    }

    /// <summary>Under <see cref="_gate"/>: the receive side of the ticks that found the lock busy, oldest first.</summary>
    private void PlayOutOwedTicks()
    {
        for (var owed = Interlocked.Exchange(ref _owedTicks, 0); owed > 0; owed--)
        {
            PlayOutOneTick();
        }
    }

    /// <summary>
    /// The receive side of one tick, under <see cref="_gate"/>: 20 ms out of the jitter buffer into the playout ring (when there
    /// is a sink), digit timeouts, RTCP. Owed ticks each read their 20 ms too, so the playout keeps step with the sender's clock.
    /// </summary>
    private void PlayOutOneTick()
    {
        if (_audioSink is not null)
        {
            var hasAudio = _receiver.JitterBuffer.Read(_playoutFrame);

            // Full only when the lock was busy for a whole ring of ticks: that audio is too late to be worth playing.
            _playout.TryWrite(_playoutFrame, hasAudio);
        }

        if (_receiver.OnTick() is { } overdueDigit)
        {
            _digits.Writer.TryWrite(overdueDigit);
        }

        var report = _rtcp.OnTick(_sender, _receiver.Statistics);
        if (!report.IsEmpty && (_rtcp.PeerSource ?? RtcpDestination()) is { } destination)
        {
            SendRtcp(report, destination);
        }
    }

    /// <summary>On the pacer thread only (the ring's one reader): hands the played-out frames to the sink, in order.</summary>
    private void DeliverPlayout()
    {
        var sink = _audioSink;
        while (_playout.TryRead(_sinkFrame, out var hasAudio))
        {
            sink?.WriteFrame(_sinkFrame, hasAudio);
        }
    }

    /// <summary>Handles one received datagram (the receive loop calls this; tests may too).</summary>
    internal void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        if (RtpPacket.LooksLikeRtcp(datagram))
        {
            // RTCP multiplexed on the RTP port (RFC 5761).
            OnRtcpDatagram(datagram, source);
            return;
        }

        var arrival = (long)(_options.TimeProvider.GetTimestamp() / (double)_options.TimeProvider.TimestampFrequency * 8000);
        lock (_gate)
        {
            Receive(datagram, source, arrival);
            PlayOutOwedTicks();
        }
    }

    /// <summary>Under <see cref="_gate"/>: one RTP datagram into the receiver; latches the peer's address; passes digits on.</summary>
    private void Receive(ReadOnlySpan<byte> datagram, IPEndPoint source, long arrival)
    {
        _digitScratch.Clear();
        if (!_receiver.Receive(datagram, arrival, _digitScratch))
        {
            return;
        }

        if (!_latched)
        {
            _latched = true;
            if (!source.Equals(_remote))
            {
                _logger.LogInformation("RTP latched to {Source} (signalled {Signalled})", source, _signalledRemote);
                _remote = source;
            }
        }

        foreach (var digit in _digitScratch)
        {
            _digits.Writer.TryWrite(digit);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _registration?.Dispose();
        }

        await _stopping.CancelAsync();
        _socket.Dispose();
        _rtcpSocket.Dispose();
        await _receiveLoop;
        await _rtcpReceiveLoop;
        _digits.Writer.TryComplete();
        _stopping.Dispose();
    }

    private void OnRtcpDatagram(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        var parsed = RtcpPacket.TryParse(datagram, out var report);
        lock (_gate)
        {
            if (parsed)
            {
                _rtcp.OnReport(report!, source, _sender.Ssrc);
            }
            else
            {
                _receiver.CountIgnored();
            }

            PlayOutOwedTicks();
        }
    }

    /// <summary>RTCP goes to the port above the peer's RTP port until the peer's own RTCP shows where it comes from.</summary>
    private IPEndPoint? RtcpDestination() => _remote is { } remote && remote.Port < 65535 ? new IPEndPoint(remote.Address, remote.Port + 1) : null;

    private void SendRtcp(ReadOnlySpan<byte> report, IPEndPoint destination)
    {
        try
        {
            _rtcpSocket.SendTo(report, SocketFlags.None, destination);
        }
        catch (SocketException exception)
        {
            _logger.LogDebug(exception, "RTCP send to {Destination} failed", destination);
        }
        catch (ObjectDisposedException)
        {
            // The session is closing.
        }
    }

    private delegate void DatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint source);

    private async Task ReceiveLoopAsync(Socket socket, DatagramHandler handle)
    {
        var buffer = new byte[2048];
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var received = template.Serialize();
        var lastAddress = template.Serialize();
        IPEndPoint? lastSource = null;
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, received, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // ICMP errors from earlier sends (port unreachable) surface here; they do not end the call.
                _logger.LogDebug(exception, "RTP receive on {Local} failed: {Error}", LocalEndPoint, exception.SocketErrorCode);
                continue;
            }

            // The source nearly never changes: reuse its endpoint object, so receiving allocates nothing per datagram.
            if (lastSource is null || !received.Equals(lastAddress))
            {
                lastSource = (IPEndPoint)template.Create(received);
                lastAddress.Size = received.Size;
                received.Buffer.CopyTo(lastAddress.Buffer);
            }

            handle(buffer.AsSpan(0, length), lastSource);
        }
    }
}
