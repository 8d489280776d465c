using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.Core.Ids;
using Telephony.MediaNode.Calls;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// The child call record of one Dial leg, as Twilio shows it: direction <c>outbound-dial</c>, the parent's account and
/// ParentCallSid, the noun's statusCallback. Writes are chained in order behind the INVITE (never delaying it), so its
/// status callbacks (initiated, ringing, answered, completed) fire in order through <see cref="CallStore"/>.
/// </summary>
public sealed class DialLegRecord
{
    public const string Direction = "outbound-dial";
    private static readonly char[] EventSeparators = [' ', ','];
    private readonly CallStatusWriter _status;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task _writes;

    private DialLegRecord(CallRecord record, CallStatusWriter status, ILogger logger)
    {
        Record = record;
        _status = status;
        _logger = logger;
        _writes = Task.CompletedTask;
    }

    public CallRecord Record { get; }

    public string CallSid => Record.Sid;

    /// <summary>Completes when every write so far has been made (or has failed and been logged).</summary>
    public Task Written
    {
        get
        {
            lock (_gate)
            {
                return _writes;
            }
        }
    }

    /// <summary>Creates the record (queued) and claims it for this node ("initiated"), in the background.</summary>
    public static DialLegRecord Start(
        CallStore calls, CallStatusWriter status, string nodeId, CallIdentity parent, DialLegPlan leg, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(leg);
        var now = time.GetUtcNow();
        var record = new CallRecord
        {
            Sid = Sid.NewTimeOrdered(Sid.CallPrefix, now),
            AccountSid = parent.AccountSid,
            ParentCallSid = parent.CallSid,
            To = leg.To,
            From = leg.From,
            Status = CallStatus.Queued,
            Direction = Direction,
            DateCreated = now,
            DateUpdated = now,
            Instructions = new CallInstructions
            {
                StatusCallback = leg.Target.StatusCallback,
                StatusCallbackMethod = leg.Target.StatusCallbackMethod,
                StatusCallbackEvents = Events(leg.Target.StatusCallbackEvent),
            },
            Options = new CallOptions { Timeout = (int)Math.Ceiling(timeout.TotalSeconds) },
        };
        var child = new DialLegRecord(record, status, logger);
        child.Chain(async () =>
        {
            await calls.CreateAsync(record, CancellationToken.None);
            await status.ClaimAsync(record.AccountSid, record.Sid, nodeId, CancellationToken.None);
        });
        return child;
    }

    /// <summary>Queues a status move after the writes already queued.</summary>
    public void Move(CallStatus target) =>
        Chain(() => _status.MoveAsync(Record.AccountSid, Record.Sid, target, CancellationToken.None));

    private void Chain(Func<Task> write)
    {
        lock (_gate)
        {
            _writes = WriteAfterAsync(_writes, write);
        }
    }

    private async Task WriteAfterAsync(Task previous, Func<Task> write)
    {
        await previous;
        try
        {
            await write();
        }
#pragma warning disable CA1031 // A storage failure loses one transition, never the bridged call; the next write retries the record.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "Dial leg {CallSid} of {ParentCallSid}: writing the record failed", Record.Sid, Record.ParentCallSid);
        }
    }

    private static List<string> Events(string text)
    {
        var events = text.Split(EventSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToLowerInvariant())
            .Distinct()
            .ToList();
        return events.Count == 0 ? ["completed"] : events;
    }
}
