using System.Net;

namespace Telephony.Sip.Rtp;

/// <summary>
/// The RTCP side of a session: every interval a compound SR (if we sent since the last report) or RR with one report block and
/// a CNAME; incoming reports are kept, and a report block about us yields the round-trip time (RFC 3550 section 6.4.1).
/// Called under the session's receive lock.
/// </summary>
internal sealed class RtcpReporter
{
    private readonly byte[] _buffer = new byte[256];
    private readonly string _canonicalName;
    private readonly TimeProvider _time;
    private readonly int _intervalTicks;
    private int _ticksUntilReport;
    private long _packetsAtLastReport;
    private uint _lastSenderReportMiddle;
    private long _lastSenderReportArrival;

    public RtcpReporter(TimeProvider time, TimeSpan interval, string canonicalName)
    {
        _time = time;
        _intervalTicks = Math.Max(1, (int)(interval.TotalMilliseconds / 20));
        _ticksUntilReport = _intervalTicks;
        _canonicalName = canonicalName;
    }

    public long ReportsSent { get; private set; }

    public long ReportsReceived { get; private set; }

    public RtcpReport? LastPeerReport { get; private set; }

    public double? RoundTripMs { get; private set; }

    /// <summary>Where the peer's RTCP comes from, once some arrived.</summary>
    public IPEndPoint? PeerSource { get; private set; }

    /// <summary>Counts a tick; when a report is due, writes it and returns its bytes (else empty).</summary>
    public ReadOnlySpan<byte> OnTick(RtpSender sender, RtpReceiveStatistics statistics)
    {
        if (--_ticksUntilReport > 0)
        {
            return [];
        }

        _ticksUntilReport = _intervalTicks;
        var now = _time.GetUtcNow();
        var delay = _lastSenderReportArrival == 0 ? 0u : (uint)(_time.GetElapsedTime(_lastSenderReportArrival).TotalSeconds * 65536);
        var block = statistics.CreateReportBlock(_lastSenderReportMiddle, _lastSenderReportMiddle == 0 ? 0 : delay);
        RtcpReport? senderInfo = sender.PacketsSent > _packetsAtLastReport
            ? new RtcpReport
            {
                PacketType = RtcpReport.SenderReportType,
                Ssrc = sender.Ssrc,
                NtpTimestamp = RtcpPacket.ToNtp(now),
                RtpTimestamp = sender.CurrentTimestamp,
                PacketCount = (uint)sender.PacketsSent,
                OctetCount = (uint)sender.OctetsSent,
            }
            : null;
        _packetsAtLastReport = sender.PacketsSent;
        ReadOnlySpan<RtcpReportBlock> blocks = block is { } b ? [b] : [];
        var length = RtcpPacket.WriteCompound(_buffer, sender.Ssrc, senderInfo, blocks, _canonicalName);
        ReportsSent++;
        return _buffer.AsSpan(0, length);
    }

    public void OnReport(RtcpReport report, IPEndPoint source, uint ourSsrc)
    {
        ReportsReceived++;
        LastPeerReport = report;
        PeerSource = source;
        if (report.IsSenderReport)
        {
            _lastSenderReportMiddle = (uint)(report.NtpTimestamp >> 16);
            _lastSenderReportArrival = _time.GetTimestamp();
        }

        foreach (var block in report.Blocks)
        {
            if (block.Ssrc == ourSsrc && block.LastSenderReport != 0)
            {
                var nowMiddle = (uint)(RtcpPacket.ToNtp(_time.GetUtcNow()) >> 16);
                var roundTrip = nowMiddle - block.LastSenderReport - block.DelaySinceLastSenderReport;
                RoundTripMs = roundTrip / 65.536;
            }
        }
    }
}
