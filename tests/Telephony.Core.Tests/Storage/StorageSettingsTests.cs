using Telephony.Core.Storage;

namespace Telephony.Core.Tests;

public sealed class StorageSettingsTests
{
    [Fact]
    public void A_connection_string_wins()
    {
        var clients = StorageSettings.CreateClients(Settings(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://ignored.queue.core.windows.net",
        }));

        Assert.Equal("UseDevelopmentStorage=true", clients.ConnectionString);
        Assert.Equal("127.0.0.1", clients.QueueService.Uri.Host);
    }

    [Fact]
    public void Identity_based_service_uris_build_clients_for_those_endpoints()
    {
        var clients = StorageSettings.CreateClients(Settings(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://acct.blob.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://acct.queue.core.windows.net",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://acct.table.core.windows.net",
        }));

        Assert.Null(clients.ConnectionString);
        Assert.Equal("acct.blob.core.windows.net", clients.BlobService.Uri.Host);
        Assert.Equal("acct.queue.core.windows.net", clients.QueueService.Uri.Host);
        Assert.Equal("acct.table.core.windows.net", clients.TableService.Uri.Host);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a uri")]
    public void Missing_or_partial_settings_name_what_to_set(string? queueUri)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageSettings.CreateClients(Settings(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://acct.blob.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = queueUri,
        })));

        Assert.Contains("AzureWebJobsStorage__queueServiceUri", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Settings(Dictionary<string, string?> values) =>
        key => values.TryGetValue(key, out var value) ? value : null;
}
