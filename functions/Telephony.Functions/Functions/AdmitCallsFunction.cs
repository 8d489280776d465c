using Azure;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>
/// admit-calls: takes call requests from <c>call-requests</c> and puts them on <c>dispatch</c> for the
/// media nodes. For now every request is forwarded unchanged; per-tenant pacing comes later.
/// </summary>
internal sealed class AdmitCallsFunction(StorageClients storage, ILogger<AdmitCallsFunction> logger) : IQueueFunction
{
    public const string Name = "admit-calls";

    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        var dispatch = storage.Queue(QueueNames.Dispatch);
        try
        {
            await dispatch.SendMessageAsync(message.Body, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // First message ever: the dispatch queue does not exist yet.
            await dispatch.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await dispatch.SendMessageAsync(message.Body, cancellationToken);
        }

        logger.LogInformation("Admitted call request {MessageId} to {Queue}", message.Id, QueueNames.Dispatch);
    }
}
