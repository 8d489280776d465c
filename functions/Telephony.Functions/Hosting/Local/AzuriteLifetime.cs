namespace Telephony.Functions.Hosting.Local;

/// <summary>Ties an Azurite this program started to the host's lifetime: it stops when the host stops.</summary>
internal sealed class AzuriteLifetime(AzuriteProcess azurite) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        azurite.HasExited ? throw new InvalidOperationException("Azurite exited before the host started.") : Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await azurite.DisposeAsync();
}
