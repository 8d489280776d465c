using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests;

/// <summary>Real Azurite plus the stores built on it; each test uses fresh random account sids, so tests never see each other's rows.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public StorageClients Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Storage = new StorageClients(_azurite.ConnectionString);
    }

    public Task DisposeAsync() => _azurite.DisposeAsync();
}
