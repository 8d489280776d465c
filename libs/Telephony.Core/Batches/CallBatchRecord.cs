using Telephony.Core.Calls;

namespace Telephony.Core.Batches;

/// <summary>What the tenant did to a batch; its progress (in-progress, completed) comes from its calls' statuses.</summary>
public enum CallBatchState
{
    Accepted,
    Canceled,
}

/// <summary>
/// A batch of calls created by one request. Its calls carry <see cref="Sid"/> as their BatchSid and have
/// sids between <see cref="FirstCallSid"/> and <see cref="LastCallSid"/> (ordinal), so counting them is
/// one range of the account's call partition.
/// </summary>
public sealed record CallBatchRecord
{
    public const string SidPrefix = "CB";

    /// <summary>Most rows one batch may hold.</summary>
    public const int MaxRows = 100_000;

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public CallBatchState State { get; init; } = CallBatchState.Accepted;

    /// <summary>Calls created (rows accepted); grows chunk by chunk while the body is read.</summary>
    public int CallCount { get; init; }

    /// <summary>
    /// Its calls' status changes are counted as they happen (<see cref="BatchStatusCounters"/>); false for batches
    /// created before the counters existed, whose calls are counted one by one.
    /// </summary>
    public bool CountsKept { get; init; }

    /// <summary>Rows refused (their errors were in the create response).</summary>
    public int RejectedCount { get; init; }

    /// <summary>False while the body is still being read (or when reading it broke off).</summary>
    public bool UploadComplete { get; init; }

    public string? FirstCallSid { get; init; }

    public string? LastCallSid { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }

    /// <summary>The Table ETag this record was read with (not stored).</summary>
    public string? ETag { get; init; }
}

/// <summary>A batch with its calls counted by status, as fetch answers it.</summary>
public sealed record CallBatchProgress(CallBatchRecord Batch, IReadOnlyDictionary<CallStatus, int> Counts, double CallsPerSecond)
{
    public int Count(CallStatus status) => Counts.TryGetValue(status, out var n) ? n : 0;

    /// <summary>accepted (nothing started), in-progress, completed (every call final) or canceled.</summary>
    public string Status
    {
        get
        {
            if (Batch.State == CallBatchState.Canceled)
            {
                return "canceled";
            }

            var final = Counts.Where(c => CallStatuses.IsFinal(c.Key)).Sum(c => c.Value);
            if (Batch.UploadComplete && final == Batch.CallCount)
            {
                return "completed";
            }

            return Count(CallStatus.Queued) == Batch.CallCount ? "accepted" : "in-progress";
        }
    }

    /// <summary>Seconds until the last queued call is released at the tenant's calls-per-second, or null when none waits.</summary>
    public long? EtaSeconds
    {
        get
        {
            var queued = Count(CallStatus.Queued);
            return queued == 0 || Batch.State == CallBatchState.Canceled ? null : (long)Math.Ceiling(queued / CallsPerSecond);
        }
    }
}
