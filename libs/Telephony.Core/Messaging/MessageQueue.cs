using Azure.Storage.Queues;
using Telephony.Core.Storage;

namespace Telephony.Core.Messaging;

/// <summary>Sends JSON messages (<see cref="MessageJson"/>) to storage queues, creating each queue on first use.</summary>
public sealed class MessageQueue(StorageClients storage)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);

    public async Task SendAsync<T>(string queueName, T message, TimeSpan? visibilityDelay = null, CancellationToken cancellationToken = default)
    {
        var queue = await _queues.GetOrAdd(queueName, name => new Lazy<Task<QueueClient>>(() => CreateAsync(name))).Value.WaitAsync(cancellationToken);
        await queue.SendMessageAsync(MessageJson.Serialize(message), visibilityDelay, timeToLive: null, cancellationToken);
    }

    private async Task<QueueClient> CreateAsync(string name)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var queue = storage.Queue(name);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
