using System.Globalization;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// The settings of a media-node PROCESS on loopback for tests that run their own platform: free HTTP and SIP ports,
/// its RTP range, quick polling and heartbeats, and one trunk "far" (numbers starting 1555) to the test's far end.
/// </summary>
internal static class LoopbackNodeSettings
{
    public static Dictionary<string, string> For(string nodeId, string nodeKey, string functionsUrl, int farEndPort, int rtpPortMin, int maxCalls) => new()
    {
        ["urls"] = $"http://127.0.0.1:{FreePorts.Tcp()}",
        ["Telephony:Node:Id"] = nodeId,
        ["Telephony:NodeKey"] = nodeKey,
        ["Telephony:Node:FunctionsUrl"] = functionsUrl,
        ["Telephony:Node:SipListen:0"] = $"udp:127.0.0.1:{FreePorts.Udp()}",
        ["Telephony:Node:RtpPortMin"] = rtpPortMin.ToString(CultureInfo.InvariantCulture),
        ["Telephony:Node:RtpPortMax"] = (rtpPortMin + 998).ToString(CultureInfo.InvariantCulture),
        ["Telephony:Node:MaxConcurrentCalls"] = maxCalls.ToString(CultureInfo.InvariantCulture),
        ["Telephony:Node:AllowInternalAddresses"] = "true",
        ["Telephony:Node:DispatchPollInterval"] = "00:00:00.200",
        ["Telephony:Node:ControlPollInterval"] = "00:00:00.200",
        ["Telephony:Node:HeartbeatInterval"] = "00:00:01",
        ["Telephony:Node:Trunks:0:Name"] = "far",
        ["Telephony:Node:Trunks:0:Uri"] = $"sip:127.0.0.1:{farEndPort}",
        ["Telephony:Node:Trunks:0:Prefixes:0"] = "1555",
    };
}
