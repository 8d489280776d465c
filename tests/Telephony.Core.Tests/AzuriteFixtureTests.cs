using Azure.Data.Tables;
using Telephony.Testing;

namespace Telephony.Core.Tests;

public sealed class AzuriteFixtureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Real_Azurite_stores_and_returns_a_table_entity()
    {
        var table = new TableClient(azurite.ConnectionString, "fixture" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 42 });

        var read = await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal(42, read.Value.GetInt32("Value"));
    }
}
