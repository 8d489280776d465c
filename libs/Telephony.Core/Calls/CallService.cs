using Microsoft.Extensions.Logging;
using Telephony.Core.Admission;
using Telephony.Core.Diagnostics;
using Telephony.Core.Errors;
using Telephony.Core.Messaging;
using Telephony.Core.Paging;
using Telephony.Core.Parameters;

namespace Telephony.Core.Calls;

/// <summary>The Calls resource's operations: validation, storage and the messages that make calls happen.</summary>
public sealed class CallService(CallStore calls, MessageQueue queue, CallAdmitter admission, TimeProvider time, ILogger<CallService> logger)
{
    /// <summary>Validates, stores the call as queued, and asks admit-calls to place it.</summary>
    public async Task<CallRecord> CreateAsync(string accountSid, RequestParameters parameters, CancellationToken cancellationToken = default)
    {
        var record = CallCreateParser.Parse(parameters, accountSid, time.GetUtcNow());
        await admission.EnsureQueueRoomAsync(accountSid, cancellationToken); // 429 / 20429 when the tenant's queue is full
        var call = await calls.CreateAsync(record, cancellationToken);
        await queue.SendAsync(
            QueueNames.CallRequests,
            new CallRequestMessage { CallSid = call.Sid, AccountSid = call.AccountSid, RequestedAt = call.DateCreated, TraceParent = TraceParent.Current() },
            cancellationToken: cancellationToken);
        logger.LogInformation("Call {CallSid} queued for {AccountSid}", call.Sid, accountSid);
        return call;
    }

    public async Task<CallRecord> GetAsync(string accountSid, string callSid, CancellationToken cancellationToken = default) =>
        await calls.GetAsync(accountSid, callSid, cancellationToken) ?? throw NotFound(callSid);

    public Task<Page<CallRecord>> ListAsync(
        string accountSid, RequestParameters parameters, PagingRequest paging, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var filter = CallListQuery.Parse(parameters);
        parameters.RejectUnread();
        return PageReader.ReadAsync(paging, (size, after) => calls.ListAsync(accountSid, filter, size, after, cancellationToken));
    }

    /// <summary>Redirects, hangs up or re-targets callbacks of a call; a node running it is told to re-read the record.</summary>
    public async Task<CallRecord> UpdateAsync(string accountSid, string callSid, RequestParameters parameters, CancellationToken cancellationToken = default)
    {
        var update = CallUpdate.Parse(parameters);
        string? eventType = null;
        var updated = await calls.UpdateAsync(
            accountSid,
            callSid,
            current =>
            {
                var change = update.ApplyTo(current, time.GetUtcNow());
                eventType = change?.EventType;
                return change;
            },
            cancellationToken) ?? throw NotFound(callSid);

        if (eventType is not null && updated.NodeId is { } node)
        {
            await queue.SendAsync(
                QueueNames.NodeControl(node),
                new CallControlMessage { CallSid = updated.Sid, AccountSid = accountSid, EventType = eventType, EventSequence = updated.EventSequence, TraceParent = TraceParent.Current() },
                cancellationToken: cancellationToken);
        }

        logger.LogInformation("Call {CallSid} of {AccountSid} updated: {EventType}", callSid, accountSid, eventType ?? "no change");
        return updated;
    }

    /// <summary>Deletes a finished call; a live one is refused with 21220.</summary>
    public async Task DeleteAsync(string accountSid, string callSid, CancellationToken cancellationToken = default)
    {
        var deleted = await calls.DeleteAsync(
            accountSid,
            callSid,
            current =>
            {
                if (!CallStatuses.IsFinal(current.Status))
                {
                    throw new TwilioException(TwilioError.BadRequest(
                        TwilioErrorCodes.InvalidCallState, $"Cannot delete a {CallStatuses.ToWire(current.Status)} call; only finished calls can be deleted."));
                }
            },
            cancellationToken);
        if (!deleted)
        {
            throw NotFound(callSid);
        }
    }

    private static TwilioException NotFound(string callSid) =>
        new(TwilioError.NotFound($"/Calls/{ParameterRules.Truncate(callSid)}.json"));
}
