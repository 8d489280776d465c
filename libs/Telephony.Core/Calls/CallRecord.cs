namespace Telephony.Core.Calls;

/// <summary>A call: what was asked for (create parameters) and what has happened (status, times).</summary>
public sealed record CallRecord
{
    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public string? ParentCallSid { get; init; }

    /// <summary>The call batch (<c>CB…</c>) that created this call, if any.</summary>
    public string? BatchSid { get; init; }

    public required string To { get; init; }

    public required string From { get; init; }

    public required CallStatus Status { get; init; }

    /// <summary>Twilio's direction: <c>outbound-api</c> for calls created through the API.</summary>
    public string Direction { get; init; } = "outbound-api";

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Seconds from answer to hang-up, set when the call completes.</summary>
    public int? Duration { get; init; }

    public string? AnsweredBy { get; init; }

    public string? CallerName { get; init; }

    public CallInstructions Instructions { get; init; } = new();

    public CallOptions Options { get; init; } = new();

    /// <summary>The media node running the call, once one has taken it (live control goes there).</summary>
    public string? NodeId { get; init; }

    /// <summary>
    /// Milliseconds from creation until a media node took the call (pacing, concurrency limits and waiting
    /// for a free slot all count); Twilio's <c>queue_time</c>. Null while the call waits.
    /// </summary>
    public long? QueueTime { get; init; }

    /// <summary>The sequence number of the call's latest event (its row is written in the same transaction).</summary>
    public long EventSequence { get; init; }

    /// <summary>
    /// True for a call created in a batch transaction (<see cref="CallStore.CreateManyAsync"/>) until its first change:
    /// its "created" event row (sequence 1) is written with that change, so a batch costs one write per 100 calls.
    /// </summary>
    public bool CreatedEventPending { get; init; }

    /// <summary>
    /// Status callbacks queued for this call so far: the next one's SequenceNumber. Counted with the change that
    /// queues it, so sequence numbers have no gaps whatever the tenant asks for mid-call.
    /// </summary>
    public int StatusCallbacksQueued { get; init; }

    /// <summary>The Table ETag this record was read with (not stored).</summary>
    public string? ETag { get; init; }
}

/// <summary>Where the call's TwiML comes from, and where its status goes.</summary>
public sealed record CallInstructions
{
    public string? Url { get; init; }

    public string Method { get; init; } = "POST";

    public string? Twiml { get; init; }

    public string? FallbackUrl { get; init; }

    public string FallbackMethod { get; init; } = "POST";

    public string? StatusCallback { get; init; }

    public string StatusCallbackMethod { get; init; } = "POST";

    /// <summary>Which status events are posted to <see cref="StatusCallback"/> (Twilio default: completed).</summary>
    public IReadOnlyList<string> StatusCallbackEvents { get; init; } = ["completed"];
}

/// <summary>Dialling and recording options given at create time.</summary>
public sealed record CallOptions
{
    public const int DefaultTimeout = 60;
    public const int MaxTimeout = 600;
    public const int DefaultTimeLimit = 14400;

    public int Timeout { get; init; } = DefaultTimeout;

    public int TimeLimit { get; init; } = DefaultTimeLimit;

    public string? SendDigits { get; init; }

    public bool Record { get; init; }

    public string? RecordingChannels { get; init; }

    public string? RecordingStatusCallback { get; init; }

    public string RecordingStatusCallbackMethod { get; init; } = "POST";

    public IReadOnlyList<string> RecordingStatusCallbackEvents { get; init; } = ["completed"];

    public string? RecordingTrack { get; init; }

    public string? Trim { get; init; }
}
