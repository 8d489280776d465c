using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;

namespace Telephony.Cli.Phone;

/// <summary>Builds the user agent and wires a call's audio and event lines for both modes.</summary>
internal static class PhoneAgent
{
    public static SipUserAgent Create(PhoneOptions options) => new(new SipUserAgentOptions
    {
        User = "phone",
        Listen = [options.Sip],
        Media = new RtpSessionOptions
        {
            LocalAddress = options.Sip.Address.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : options.Sip.Address.Address,
            DetectDtmfOnStart = true,
        },
    });

    /// <summary>Attaches play/echo/record to the call's RTP leg; returns the recorder to save at the end.</summary>
    public static WavRecorder? AttachAudio(SipCall call, PhoneOptions options, WavPlayer? player)
    {
        if (call.Media is not { } media)
        {
            return null;
        }

        var recorder = options.RecordFile is null ? null : new WavRecorder();
        if (options.Echo)
        {
            var echo = new EchoAudio();
            media.AudioSource = echo;
            media.AudioSink = recorder is null ? echo : new TeeSink(echo, recorder);
        }
        else
        {
            media.AudioSource = player;
            media.AudioSink = recorder;
        }

        return recorder;
    }

    public static void PrintEvents(SipCall call, TextWriter output)
    {
        call.Ringing += (_, response) => output.WriteLine($"RINGING {response.StatusCode} {response.Reason}");
        call.EarlyMedia += _ => output.WriteLine("EARLY-MEDIA");
        call.Answered += c => output.WriteLine($"ANSWERED {c.Audio?.Codec.EncodingName}");
        call.DtmfReceived += (_, digit) => output.WriteLine($"DTMF {digit}");
        call.Reinvited += c => output.WriteLine(c.IsHeldByPeer ? "HOLD" : "UNHOLD");
        call.Ended += (_, end) => output.WriteLine(
            $"{(end.Cause == CallEndCause.RemoteHangup ? "BYE" : "END")} {end.SipStatus} {end.Reason} status={end.TwilioStatus.ToWire()}");
    }
}
