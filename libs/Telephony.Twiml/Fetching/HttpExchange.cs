using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Telephony.Core.Net;
using Telephony.Core.Webhooks;
using Telephony.Twiml.Model;
using Telephony.Twiml.Parsing;

namespace Telephony.Twiml.Fetching;

/// <summary>
/// One signed instruction request and the redirects it leads to. Parameters go in the form body (POST) or the
/// query (GET); every hop is signed for the URL it is sent to.
/// </summary>
internal sealed class HttpExchange(HttpClient http, InstructionFetcherOptions options)
{
    private const int BodyLimit = TwimlParser.MaxDocumentBytes;

    public async Task<(HttpAnswer? Answer, FetchFailure? Failure)> SendAsync(
        Uri url,
        string method,
        string authToken,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        string idempotencyToken,
        AuthenticationHeaderValue? credentials,
        ConnectionOverrides overrides,
        CancellationToken cancellationToken)
    {
        for (var hop = 0; hop <= options.MaxRedirects; hop++)
        {
            using var request = Build(url, method, authToken, parameters, idempotencyToken, overrides);
            request.Headers.Authorization = credentials;
            using var readDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            readDeadline.CancelAfter(overrides.ReadTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, readDeadline.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return (null, Classify(ex, url, cancellationToken));
            }

            using (response)
            {
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (next.Scheme is not ("http" or "https"))
                    {
                        return (null, FetchFailure.Of(TwimlErrorCodes.HttpRetrievalFailure, $"redirect to unsupported URL {next}", url.AbsoluteUri));
                    }

                    // 307/308 repeat the request as is; the others continue as GET, as user agents do.
                    if (response.StatusCode is not (HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect))
                    {
                        method = "GET";
                    }

                    // Credentials go to the host they were given for, not to wherever a redirect points.
                    if (!string.Equals(next.Authority, url.Authority, StringComparison.OrdinalIgnoreCase))
                    {
                        credentials = null;
                    }

                    credentials = BasicCredentials.Take(ref next) ?? credentials;
                    url = next;
                    continue;
                }

                try
                {
                    var body = await ReadCappedAsync(response.Content, readDeadline.Token);
                    return (new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, url.AbsoluteUri), null);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    return (null, Classify(ex, url, cancellationToken));
                }
            }
        }

        return (null, FetchFailure.Of(TwimlErrorCodes.HttpTooManyRedirects,
            $"HTTP too many redirects: more than {options.MaxRedirects}", url.AbsoluteUri));
    }

    private HttpRequestMessage Build(
        Uri url, string method, string authToken, IReadOnlyList<KeyValuePair<string, string>> parameters, string idempotencyToken, ConnectionOverrides overrides)
    {
        var request = method == "GET"
            ? SignedWebhookRequest.Get(url, authToken, parameters)
            : SignedWebhookRequest.Form(url, authToken, parameters);
        request.Headers.TryAddWithoutValidation("I-Twilio-Idempotency-Token", idempotencyToken);
        request.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        request.Options.Set(GuardedConnector.ConnectTimeout, overrides.ConnectTimeout);
        return request;
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        // One byte past the limit is enough to know the body is too large; the pool spares a 64 KB zeroing per fetch.
        var buffer = ArrayPool<byte>.Shared.Rent(BodyLimit + 1);
        try
        {
            var filled = 0;
            while (filled < BodyLimit + 1)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled, BodyLimit + 1 - filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return buffer.AsSpan(0, filled).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static FetchFailure Classify(Exception ex, Uri url, CancellationToken callerToken)
    {
        callerToken.ThrowIfCancellationRequested();
        var target = url.AbsoluteUri;
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ForbiddenDestinationException forbidden:
                    return FetchFailure.Of(TwimlErrorCodes.HttpConnectionFailure, "HTTP connection failure: " + forbidden.Message, target);
                case UnresolvableHostException unresolvable:
                    return FetchFailure.Of(TwimlErrorCodes.HttpBadHostName, "HTTP bad host name: " + unresolvable.Message, target);
                case ConnectTimeoutException timeout:
                    return FetchFailure.Of(TwimlErrorCodes.HttpConnectionFailure, "HTTP connection failure: " + timeout.Message, target, RetryPolicy.ConnectFailure);
                default:
                    break;
            }
        }

        if (ex is OperationCanceledException)
        {
            return FetchFailure.Of(TwimlErrorCodes.HttpRetrievalFailure,
                "HTTP retrieval failure: the response did not arrive within the read timeout", target, RetryPolicy.ReadTimeout);
        }

        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return FetchFailure.Of(TwimlErrorCodes.HttpConnectionFailure, $"HTTP connection failure: {socket.SocketErrorCode}", target, RetryPolicy.ConnectFailure);
            }
        }

        return FetchFailure.Of(TwimlErrorCodes.HttpRetrievalFailure, "HTTP retrieval failure: " + ex.Message, target, RetryPolicy.ConnectFailure);
    }
}
