using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests;

/// <summary>Table creation on first use, against a real Azurite stopped and started again.</summary>
public sealed class TableReadyTests
{
    [Fact]
    public async Task A_creation_that_failed_while_storage_was_down_is_tried_again_once_it_is_back()
    {
        await using var azurite = await AzuriteInstance.StartPersistentAsync();
        var table = new StorageClients(azurite.ConnectionString).Table("readyafteroutage");
        var ready = new TableReady(table);
        await azurite.StopAsync();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ready.EnsureAsync(CancellationToken.None));
        Assert.True(StorageFaults.IsUnavailable(failure), failure.ToString());

        await azurite.RestartAsync();
        await ready.EnsureAsync(CancellationToken.None);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("p", "r"));
    }
}
