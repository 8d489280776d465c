using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Core.Paging;

/// <summary>
/// Twilio's paging parameters. <c>PageToken</c> is <c>PA</c> + the last sid of the previous page, so
/// pages stay stable while new rows arrive; <c>Page</c> without a token is served by skipping rows.
/// </summary>
public sealed record PagingRequest(int PageSize, int Page, string? AfterSid)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    /// <summary>How many rows a <c>Page</c> without <c>PageToken</c> may skip.</summary>
    public const int MaxSkippedRows = 10_000;

    private const string TokenPrefix = "PA";

    public static PagingRequest Parse(RequestParameters parameters, string sidPrefix)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var size = parameters.Int("PageSize", 1, MaxPageSize) ?? DefaultPageSize;
        var page = parameters.Int("Page", 0, int.MaxValue) ?? 0;
        var token = parameters.Single("PageToken");
        string? after = null;
        if (token is not null)
        {
            after = token.StartsWith(TokenPrefix, StringComparison.Ordinal) ? token[TokenPrefix.Length..] : null;
            if (!Ids.Sid.IsValid(after, sidPrefix))
            {
                throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "PageToken is not valid; use the next_page_uri of a previous page.");
            }
        }
        else if ((long)page * size > MaxSkippedRows)
        {
            throw RequestParameters.Invalid(
                TwilioErrorCodes.InvalidParameter, $"Page beyond {MaxSkippedRows} rows needs the PageToken from next_page_uri.");
        }

        return new PagingRequest(size, page, after);
    }

    public static string TokenAfter(string sid) => TokenPrefix + sid;
}
