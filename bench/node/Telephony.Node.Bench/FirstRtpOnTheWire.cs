using System.Globalization;
using System.Text;

/// <summary>
/// Reads a capture of sequential calls: for each 200 OK to an INVITE sent by the far end, the wire time of the first
/// RTP packet sent to the far end after it, and of the first one whose payload is not G.711 silence (the prompt).
/// </summary>
internal static class FirstRtpOnTheWire
{
    public static async Task<(List<double> AnyPacket, List<double> PromptPacket, int Answers)> MeasureAsync(LoopbackCapture capture, int farSipPort)
    {
        var anyPacket = new List<double>();
        var promptPacket = new List<double>();
        var seenCalls = new HashSet<string>(StringComparer.Ordinal);
        double? answeredAt = null;
        var sawAny = false;
        await foreach (var (time, source, _, payload) in capture.ReadAsync())
        {
            if (source == farSipPort)
            {
                var text = Encoding.ASCII.GetString(payload);
                if (text.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && text.Contains(" INVITE\r\n", StringComparison.Ordinal)
                    && seenCalls.Add(Header(text, "Call-ID")))
                {
                    answeredAt = time;
                    sawAny = false;
                }

                continue;
            }

            if (answeredAt is not { } answer || payload.Length < 12 + 160 || (payload[0] & 0xC0) != 0x80)
            {
                continue;
            }

            if (!sawAny)
            {
                sawAny = true;
                anyPacket.Add((time - answer) * 1000);
            }

            if (!IsSilence(payload.AsSpan(12)))
            {
                promptPacket.Add((time - answer) * 1000);
                answeredAt = null;
            }
        }

        return (anyPacket, promptPacket, seenCalls.Count);
    }

    private static string Header(string message, string name)
    {
        foreach (var line in message.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }

        return string.Empty;
    }

    // μ-law and A-law encodings of zero (either sign).
    private static bool IsSilence(ReadOnlySpan<byte> samples) => samples.IndexOfAnyExcept([(byte)0xFF, (byte)0x7F, (byte)0xD5, (byte)0x55]) < 0;

    public static string Describe(string label, List<double> values)
    {
        if (values.Count == 0)
        {
            return $"{label}: none";
        }

        values.Sort();
        double P(double p) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} ms: n={values.Count} p50={P(0.50):F2} p90={P(0.90):F2} p99={P(0.99):F2} min={values[0]:F2} max={values[^1]:F2}");
    }
}
