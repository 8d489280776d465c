using System.Text.Json.Serialization;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Simulation;

/// <summary>How the simulated call went. <see cref="Duration"/> is virtual seconds; event times are virtual milliseconds.</summary>
public sealed record SimulationResult
{
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("duration")]
    public double Duration { get; init; }

    [JsonPropertyName("endReason")]
    public required string EndReason { get; init; }

    [JsonPropertyName("events")]
    public IReadOnlyList<SimulationEvent> Events { get; init; } = [];

    [JsonPropertyName("notifications")]
    public IReadOnlyList<TwimlNotification> Notifications { get; init; } = [];

    /// <summary>Wall-clock milliseconds the simulation took (mostly the app server's own response time).</summary>
    [JsonPropertyName("elapsedMs")]
    public double ElapsedMilliseconds { get; init; }
}

public sealed record SimulationEvent(
    [property: JsonPropertyName("at")] long At,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string> Details);
