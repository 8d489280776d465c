using System.Text.Json.Serialization;

namespace Telephony.Twiml.Simulation;

/// <summary>
/// A simulated call (the <c>/v1/.../Simulations</c> request): the app URL, who calls whom, what the caller does
/// and how dialed parties behave. Times are seconds from the start of the call.
/// </summary>
public sealed record SimulationSpec
{
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("method")]
    public string Method { get; init; } = "POST";

    [JsonPropertyName("fallbackUrl")]
    public string? FallbackUrl { get; init; }

    [JsonPropertyName("from")]
    public string From { get; init; } = "+15005550006";

    [JsonPropertyName("to")]
    public string To { get; init; } = "+15005550001";

    /// <summary>inbound (the first request says CallStatus=ringing) or outbound-api (already answered).</summary>
    [JsonPropertyName("direction")]
    public string Direction { get; init; } = "inbound";

    [JsonPropertyName("caller")]
    public IReadOnlyList<SimulatedCallerAction> Caller { get; init; } = [];

    [JsonPropertyName("dial")]
    public SimulatedDial? Dial { get; init; }

    /// <summary>How long a &lt;Play&gt; of a URL lasts (the simulator does not download audio).</summary>
    [JsonPropertyName("playSeconds")]
    public double PlaySeconds { get; init; } = 5;

    /// <summary>The simulated caller hangs up at this point at the latest.</summary>
    [JsonPropertyName("maxDurationSeconds")]
    public double MaxDurationSeconds { get; init; } = 4 * 3600;
}

/// <summary>One of: digits, hangup, speak (seconds of talking).</summary>
public sealed record SimulatedCallerAction
{
    [JsonPropertyName("after")]
    public double After { get; init; }

    [JsonPropertyName("digits")]
    public string? Digits { get; init; }

    [JsonPropertyName("hangup")]
    public bool Hangup { get; init; }

    [JsonPropertyName("speak")]
    public double? Speak { get; init; }
}

public sealed record SimulatedDial
{
    /// <summary>completed, busy, no-answer or failed.</summary>
    [JsonPropertyName("outcome")]
    public string Outcome { get; init; } = "completed";

    [JsonPropertyName("answerAfter")]
    public double AnswerAfter { get; init; } = 3;

    [JsonPropertyName("hangupAfter")]
    public double HangupAfter { get; init; } = 10;
}
