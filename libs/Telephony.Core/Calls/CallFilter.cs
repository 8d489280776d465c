namespace Telephony.Core.Calls;

/// <summary>
/// Filters of the call list. Start-time bounds are inclusive; <see cref="StartedBefore"/> also
/// narrows the Table range, because a call cannot start before it was created.
/// </summary>
public sealed record CallFilter
{
    public string? To { get; init; }

    public string? From { get; init; }

    public CallStatus? Status { get; init; }

    public string? ParentCallSid { get; init; }

    public string? BatchSid { get; init; }

    /// <summary>Inclusive lower bound of the start time.</summary>
    public DateTimeOffset? StartedAtOrAfter { get; init; }

    /// <summary>Exclusive upper bound of the start time.</summary>
    public DateTimeOffset? StartedBefore { get; init; }
}
