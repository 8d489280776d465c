namespace Telephony.Core.Paging;

/// <summary>Serves a <see cref="PagingRequest"/> from a keyed range reader (skipping whole pages when no token is given).</summary>
public static class PageReader
{
    public static async Task<Page<T>> ReadAsync<T>(PagingRequest request, Func<int, string?, Task<Page<T>>> readPage)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(readPage);
        if (request.AfterSid is not null || request.Page == 0)
        {
            return await readPage(request.PageSize, request.AfterSid);
        }

        // Page N without a token: walk the N pages before it.
        string? after = null;
        for (var i = 0; i < request.Page; i++)
        {
            var skipped = await readPage(request.PageSize, after);
            if (skipped.NextToken is null)
            {
                return new Page<T>([], null);
            }

            after = skipped.NextToken;
        }

        return await readPage(request.PageSize, after);
    }
}
