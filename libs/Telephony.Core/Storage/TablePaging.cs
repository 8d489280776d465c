using Azure.Data.Tables;

namespace Telephony.Core.Storage;

/// <summary>
/// Reads exactly one page of a range query. Tables may return short segments, so segments are
/// followed until the page is full; one extra row tells whether another page exists. The next
/// token is the last RowKey returned, which keeps paging stable while new rows arrive.
/// </summary>
public static class TablePaging
{
    public static async Task<Page<T>> ReadPageAsync<T>(
        TableClient table, string filter, int pageSize, Func<TableEntity, T> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(map);
        var items = new List<T>(pageSize);
        string? lastRowKey = null;
        var hasMore = false;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, pageSize + 1), cancellationToken: cancellationToken))
        {
            if (items.Count == pageSize)
            {
                hasMore = true;
                break;
            }

            items.Add(map(entity));
            lastRowKey = entity.RowKey;
        }

        return new Page<T>(items, hasMore ? lastRowKey : null);
    }
}
