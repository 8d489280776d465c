using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Functions.Hosting.Local;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>
/// An in-memory Azurite owned by one test class, started with the program's own launcher, so tests
/// that read fixed queue names (dispatch, call-requests) never see other test assemblies' messages.
/// </summary>
public sealed class PrivateAzurite : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [AzuriteLauncher.InMemoryKey] = "true" })
            .Build();
        _azurite = await AzuriteLauncher.StartAsync(settings, RepoPaths.Root, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
