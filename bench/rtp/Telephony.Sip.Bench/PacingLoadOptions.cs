using System.Globalization;

namespace Telephony.Sip.Bench;

public sealed record PacingLoadOptions
{
    public int Streams { get; init; } = 1000;

    public int Seconds { get; init; } = 10;

    /// <summary>Where the RTP sessions bind (they need two ports each).</summary>
    public int RtpMinPort { get; init; } = 40000;

    public int RtpMaxPort { get; init; } = 43999;

    /// <summary>First of the consecutive ports the streams send to (one sink socket each, never read).</summary>
    public int SinkFirstPort { get; init; } = 46000;

    /// <summary>SCHED_FIFO priority for the pacer loops, or null for normal scheduling.</summary>
    public int? RealtimePriority { get; init; }

    public int Slots { get; init; } = new Telephony.Sip.Pacing.RtpPacerOptions().SlotsPerInterval;

    public double SpinMs { get; init; } = new Telephony.Sip.Pacing.RtpPacerOptions().SpinWindow.TotalMilliseconds;

    public static PacingLoadOptions Parse(string[] args)
    {
        var options = new PacingLoadOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--streams" => options with { Streams = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--rtp-ports" => options with
                {
                    RtpMinPort = int.Parse(value.Split('-')[0], CultureInfo.InvariantCulture),
                    RtpMaxPort = int.Parse(value.Split('-')[1], CultureInfo.InvariantCulture),
                },
                "--realtime" => options with { RealtimePriority = int.Parse(value, CultureInfo.InvariantCulture) },
                "--slots" => options with { Slots = int.Parse(value, CultureInfo.InvariantCulture) },
                "--spin-ms" => options with { SpinMs = double.Parse(value, CultureInfo.InvariantCulture) },
                "--sink-ports" => options with { SinkFirstPort = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
