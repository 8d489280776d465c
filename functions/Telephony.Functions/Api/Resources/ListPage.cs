using System.Text;
using Telephony.Core;
using Telephony.Core.Paging;

namespace Telephony.Functions.Api.Resources;

/// <summary>
/// Twilio's list envelope: the items under the resource's key, then start/end/page/page_size and the
/// page URIs. Links keep the request's filters; <c>next_page_uri</c> carries the stable PageToken.
/// <c>previous_page_uri</c> is known only on page 1 (it is the first page); deeper pages have none,
/// because Tables reads only forward and the token names only where the next page starts.
/// </summary>
internal static class ListPage
{
    private static readonly HashSet<string> PagingNames = new(StringComparer.Ordinal) { "Page", "PageSize", "PageToken" };

    public static IResult Create<T>(HttpContext context, string key, string path, PagingRequest paging, Page<T> page, Func<T, object> project)
    {
        var filters = FilterQuery(context.Request.Query);
        var start = paging.Page * paging.PageSize;
        var envelope = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [key] = page.Items.Select(project).ToList(),
            ["start"] = start,
            ["end"] = Math.Max(start, start + page.Items.Count - 1),
            ["page"] = paging.Page,
            ["page_size"] = paging.PageSize,
            ["uri"] = Link(path, filters, paging.PageSize, paging.Page, paging.AfterSid is null ? null : PagingRequest.TokenAfter(paging.AfterSid)),
            ["first_page_uri"] = Link(path, filters, paging.PageSize, 0, null),
            ["next_page_uri"] = page.NextToken is null ? null : Link(path, filters, paging.PageSize, paging.Page + 1, PagingRequest.TokenAfter(page.NextToken)),
            ["previous_page_uri"] = paging.Page == 1 ? Link(path, filters, paging.PageSize, 0, null) : null,
        };
        return ApiJson.Ok(envelope);
    }

    private static string FilterQuery(IQueryCollection query)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in query)
        {
            if (PagingNames.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                text.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty)).Append('&');
            }
        }

        return text.ToString();
    }

    private static string Link(string path, string filters, int pageSize, int page, string? token) =>
        FormattableString.Invariant($"{path}?{filters}PageSize={pageSize}&Page={page}")
        + (token is null ? string.Empty : "&PageToken=" + Uri.EscapeDataString(token));
}
