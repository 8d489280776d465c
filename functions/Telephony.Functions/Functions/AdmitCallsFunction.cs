using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Telephony.Core.Admission;
using Telephony.Core.Batches;
using Telephony.Core.Diagnostics;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>
/// admit-calls: takes call requests from <c>call-requests</c>, reserves the tenant's next release slot
/// (<see cref="CallAdmitter"/>) and puts the request, unchanged, on the tenant's dispatch queue
/// (<see cref="QueueNames.DispatchFor"/>) invisible until that slot, so the media nodes see every tenant's
/// calls at that tenant's own pace and can share their free slots among tenants fairly. Batch chunks and batch
/// cancels arrive on the same queue and are handled by <see cref="CallBatchAdmission"/>.
/// </summary>
internal sealed class AdmitCallsFunction(
    CallAdmitter admitter, CallBatchAdmission batches, StorageClients storage, ILogger<AdmitCallsFunction> logger) : IQueueFunction, IBatchWorkSink
{
    public const string Name = "admit-calls";

    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        if (ReadBatchWork(message.Body) is { } work)
        {
            await batches.HandleAsync(work, this, cancellationToken);
            return;
        }

        if (ReadCallRequest(message.Body) is not { } request)
        {
            // Retrying cannot fix a malformed message: drop it, loudly.
            logger.LogError("Dropped unreadable call request {MessageId}", message.Id);
            return;
        }

        using var span = TelephonyTelemetry.Calls.StartFrom(Name, ActivityKind.Consumer, request.TraceParent).TagCall(request.CallSid, request.AccountSid);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = request.CallSid, ["AccountSid"] = request.AccountSid });
        var body = WithTraceParent(message.Body, span is { Recorded: true } ? span.Id : null);

        // A retry after a crash between reserve and send reserves a second slot: the call is released a
        // little later than it could be, never lost (the trigger deletes the message only after the send).
        var slot = await admitter.AdmitAsync(request.AccountSid, request.CallSid, cancellationToken);
        await SendAsync(QueueNames.DispatchFor(request.AccountSid), body, slot.Delay > TimeSpan.Zero ? slot.Delay : null, cancellationToken);
    }

    public Task DispatchAsync(CallRequestMessage call, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.DispatchFor(call.AccountSid), MessageJson.Serialize(call), delay, cancellationToken);

    public Task RequeueAsync(CallBatchMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.CallRequests, MessageJson.Serialize(message), delay, cancellationToken);

    private async Task SendAsync(string queueName, string body, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = storage.Queue(queueName);
        try
        {
            await queue.SendMessageAsync(body, delay, timeToLive: null, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // First message ever (a tenant's first call for its dispatch queue): the queue does not exist yet.
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(body, delay, timeToLive: null, cancellationToken);
        }
    }

    /// <summary>Batch work (chunk or cancel) is told apart from a single call request by its batchSid and kind.</summary>
    private static CallBatchMessage? ReadBatchWork(string body)
    {
        if (!body.Contains("\"batchSid\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return MessageJson.Deserialize<CallBatchMessage>(body) is { Kind: CallBatchMessage.ChunkKind or CallBatchMessage.CancelKind } work ? work : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Only the names admission needs; the rest of the message travels on untouched.</summary>
    private static CallKey? ReadCallRequest(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<CallKey>(body, JsonSerializerOptions.Web) is { AccountSid.Length: > 0, CallSid.Length: > 0 } key
                && Sid.IsValid(key.AccountSid, Sid.AccountPrefix)
                ? key
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body with its traceparent replaced by admit-calls' own span, so the node continues from here; untouched when not tracing.</summary>
    private static string WithTraceParent(string body, string? traceParent)
    {
        if (traceParent is null || JsonNode.Parse(body) is not JsonObject message)
        {
            return body;
        }

        message[JsonNamingPolicy.CamelCase.ConvertName(nameof(CallRequestMessage.TraceParent))] = traceParent;
        return message.ToJsonString();
    }

    private sealed record CallKey(string AccountSid, string CallSid, string? TraceParent);
}
