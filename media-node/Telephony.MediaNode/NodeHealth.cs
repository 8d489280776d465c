using Azure;
using Telephony.Core.Storage;

namespace Telephony.MediaNode;

/// <summary>/healthz: healthy when the node can reach its storage account (the dispatch queue lives there).</summary>
internal static class NodeHealth
{
    private static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> CheckAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StorageTimeout);
        try
        {
            await storage.QueueService.GetPropertiesAsync(timeout.Token);
            return Results.Ok(new { status = "ok", storage = "reachable" });
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            return Results.Json(new { status = "unhealthy", storage = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
