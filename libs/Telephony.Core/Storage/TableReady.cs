using Azure.Data.Tables;

namespace Telephony.Core.Storage;

/// <summary>Creates a table once, lazily, on first use (concurrent first users share one attempt).</summary>
public sealed class TableReady(TableClient table)
{
    private readonly Lazy<Task> _created = new(() => table.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    public Task EnsureAsync(CancellationToken cancellationToken) => _created.Value.WaitAsync(cancellationToken);
}
