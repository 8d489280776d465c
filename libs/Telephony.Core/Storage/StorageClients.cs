using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Telephony.Core.Storage;

/// <summary>
/// The one place that builds Azure Storage clients, from either a connection string (Azurite, keys)
/// or service URIs plus a credential (managed identity in Azure). Queue clients always use Base64
/// message encoding because that is the Functions host's default <c>messageEncoding</c>, so messages
/// written here are readable by real queue triggers and vice versa.
/// </summary>
public sealed class StorageClients
{
    private readonly TableServiceClient _tables;
    private readonly QueueServiceClient _queues;
    private readonly BlobServiceClient _blobs;

    public StorageClients(string connectionString)
        : this(connectionString, new TableClientOptions())
    {
    }

    /// <param name="connectionString">Azurite or a storage account's keys.</param>
    /// <param name="tableOptions">Options of every table client (e.g. a pipeline policy that counts the requests).</param>
    public StorageClients(string connectionString, TableClientOptions tableOptions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _tables = new TableServiceClient(connectionString, tableOptions);
        _queues = new QueueServiceClient(connectionString, QueueOptions());
        _blobs = new BlobServiceClient(connectionString);
        ConnectionString = connectionString;
    }

    public StorageClients(Uri tableServiceUri, Uri queueServiceUri, Uri blobServiceUri, TokenCredential credential)
    {
        _tables = new TableServiceClient(tableServiceUri, credential);
        _queues = new QueueServiceClient(queueServiceUri, credential, QueueOptions());
        _blobs = new BlobServiceClient(blobServiceUri, credential);
    }

    /// <summary>The connection string, when built from one (local mode passes it on to child processes).</summary>
    public string? ConnectionString { get; }

    public TableServiceClient TableService => _tables;

    public QueueServiceClient QueueService => _queues;

    public BlobServiceClient BlobService => _blobs;

    public TableClient Table(string name) => _tables.GetTableClient(name);

    public QueueClient Queue(string name) => _queues.GetQueueClient(name);

    public BlobContainerClient Container(string name) => _blobs.GetBlobContainerClient(name);

    private static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };
}
