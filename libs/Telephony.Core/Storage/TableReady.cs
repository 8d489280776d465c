using Azure.Data.Tables;

namespace Telephony.Core.Storage;

/// <summary>
/// Creates a table once, lazily, on first use (concurrent first users share one attempt). An attempt that failed
/// (storage down at start-up) is not kept: the next user tries again, so a store outlives an early outage.
/// </summary>
public sealed class TableReady(TableClient table)
{
    private readonly Lock _gate = new();
    private Task? _created;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task created;
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                // Shared by every caller: one caller giving up must not cancel it for the others.
                _created = table.CreateIfNotExistsAsync(CancellationToken.None);
            }

            created = _created;
        }

        return created.WaitAsync(cancellationToken);
    }
}
