using System.Text.Json;
using Azure;
using Telephony.Core.Admission;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>
/// admit-calls: takes call requests from <c>call-requests</c>, reserves the tenant's next release slot
/// (<see cref="CallAdmitter"/>) and puts the request, unchanged, on <c>dispatch</c> invisible until that
/// slot, so the media nodes see every tenant's calls at that tenant's own pace.
/// </summary>
internal sealed class AdmitCallsFunction(CallAdmitter admitter, StorageClients storage, ILogger<AdmitCallsFunction> logger) : IQueueFunction
{
    public const string Name = "admit-calls";

    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        if (ReadCallRequest(message.Body) is not { } request)
        {
            // Retrying cannot fix a malformed message: drop it, loudly.
            logger.LogError("Dropped unreadable call request {MessageId}", message.Id);
            return;
        }

        // A retry after a crash between reserve and send reserves a second slot: the call is released a
        // little later than it could be, never lost (the trigger deletes the message only after the send).
        var slot = await admitter.AdmitAsync(request.AccountSid, request.CallSid, cancellationToken);
        var delay = slot.Delay > TimeSpan.Zero ? slot.Delay : (TimeSpan?)null;
        var dispatch = storage.Queue(QueueNames.Dispatch);
        try
        {
            await dispatch.SendMessageAsync(message.Body, delay, timeToLive: null, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // First message ever: the dispatch queue does not exist yet.
            await dispatch.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await dispatch.SendMessageAsync(message.Body, delay, timeToLive: null, cancellationToken);
        }
    }

    /// <summary>Only the two names admission needs; the rest of the message travels on untouched.</summary>
    private static (string AccountSid, string CallSid)? ReadCallRequest(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<CallKey>(body, JsonSerializerOptions.Web) is { AccountSid: { Length: > 0 } account, CallSid: { Length: > 0 } call }
                ? (account, call)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record CallKey(string? AccountSid, string? CallSid);
}
