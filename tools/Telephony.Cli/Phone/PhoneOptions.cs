using System.Globalization;
using Telephony.Sip.Transport;

namespace Telephony.Cli.Phone;

/// <summary>Parsed `telephony phone` arguments. Parsing errors are reported as messages, never exceptions.</summary>
internal sealed record PhoneOptions
{
    public required string Mode { get; init; }

    public SipEndPoint Sip { get; init; } = new(SipTransportKind.Udp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));

    public string? Target { get; init; }

    public double AnswerAfterSeconds { get; init; } = 0.5;

    public bool Echo { get; init; }

    public string? PlayFile { get; init; }

    public string? RecordFile { get; init; }

    public int? RejectStatus { get; init; }

    public string? Digits { get; init; }

    public double? HangupAfterSeconds { get; init; }

    public double RingTimeoutSeconds { get; init; } = 60;

    public const string Usage = """
        usage:
          telephony phone listen --sip udp:127.0.0.1:5070 [--answer-after 0.5] [--echo | --play file.wav] [--record out.wav] [--reject 486]
          telephony phone call sip:user@127.0.0.1:5080 [--sip udp:127.0.0.1:0] [--digits 123#] [--play file.wav] [--record out.wav]
                               [--hangup-after 5] [--timeout 60]
        WAV files are 8 kHz mono PCM16.
        """;

    public static bool TryParse(string[] args, out PhoneOptions options, out string error)
    {
        options = null!;
        error = string.Empty;
        if (args.Length == 0 || args[0] is not ("listen" or "call"))
        {
            error = "expected 'listen' or 'call'";
            return false;
        }

        var mode = args[0];
        var result = new PhoneOptions { Mode = mode };
        var index = 1;
        if (mode == "call")
        {
            if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            {
                error = "call needs a target SIP URI";
                return false;
            }

            result = result with { Target = args[1] };
            index = 2;
        }

        for (; index < args.Length; index++)
        {
            var name = args[index];
            string? Value() => index + 1 < args.Length ? args[++index] : null;
            switch (name)
            {
                case "--sip" when Value() is { } sip && SipEndPoint.TryParse(sip, out var endPoint):
                    result = result with { Sip = endPoint };
                    break;
                case "--answer-after" when TryNumber(Value(), out var seconds):
                    result = result with { AnswerAfterSeconds = seconds };
                    break;
                case "--echo":
                    result = result with { Echo = true };
                    break;
                case "--play" when Value() is { } play:
                    result = result with { PlayFile = play };
                    break;
                case "--record" when Value() is { } record:
                    result = result with { RecordFile = record };
                    break;
                case "--reject" when int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 400 and < 700:
                    result = result with { RejectStatus = status };
                    break;
                case "--digits" when Value() is { } digits:
                    result = result with { Digits = digits };
                    break;
                case "--hangup-after" when TryNumber(Value(), out var hangup):
                    result = result with { HangupAfterSeconds = hangup };
                    break;
                case "--timeout" when TryNumber(Value(), out var timeout):
                    result = result with { RingTimeoutSeconds = timeout };
                    break;
                default:
                    error = $"invalid or incomplete option '{name}'";
                    return false;
            }
        }

        if (result.Echo && result.PlayFile is not null)
        {
            error = "--echo and --play are exclusive";
            return false;
        }

        options = result;
        return true;
    }

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0;
}
