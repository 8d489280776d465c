using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Net;
using Telephony.Twiml.Model;
using Telephony.Twiml.Parsing;

namespace Telephony.Twiml.Fetching;

/// <summary>
/// Fetches a call's instructions the way Twilio does: signed GET/POST with the call parameters, connection
/// overrides from the URL fragment, retries, redirects, content-type handling, parsing, and FallbackUrl (with
/// ErrorCode/ErrorUrl) when the primary URL fails.
/// </summary>
public sealed class InstructionFetcher : IInstructionSource, IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpExchange _exchange;
    private readonly ILogger _logger;

    public InstructionFetcher(InstructionFetcherOptions options, ILogger<InstructionFetcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new GuardedConnector(options.AllowInternalAddresses).CreateHandler();
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _exchange = new HttpExchange(_http, options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notifications = new List<TwimlNotification>();
        var primary = await FetchOneAsync(request.Url, request.Method, request.BaseUrl, request.AuthToken, request.Parameters, cancellationToken);
        if (primary.Succeeded)
        {
            return primary;
        }

        notifications.AddRange(primary.Notifications);
        if (string.IsNullOrEmpty(request.FallbackUrl))
        {
            return FetchResult.Failed(primary.Error!, notifications);
        }

        var error = primary.Error!;
        List<KeyValuePair<string, string>> withError =
        [
            .. request.Parameters,
            new("ErrorCode", error.Code.ToString(CultureInfo.InvariantCulture)),
            new("ErrorUrl", error.Url ?? request.Url),
        ];
        var fallback = await FetchOneAsync(request.FallbackUrl, request.FallbackMethod, request.BaseUrl, request.AuthToken, withError, cancellationToken);
        notifications.AddRange(fallback.Notifications);
        return fallback.Succeeded
            ? fallback with { Notifications = notifications }
            : FetchResult.Failed(fallback.Error!, notifications);
    }

    private async Task<FetchResult> FetchOneAsync(
        string rawUrl, string method, string? baseUrl, string authToken, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var (withoutFragment, overrides) = ConnectionOverrides.Split(rawUrl.Trim());
        if (!TryResolve(withoutFragment, baseUrl, out var url))
        {
            return Fail(new TwimlNotification(TwimlErrorCodes.InvalidUrlFormat, $"Invalid URL format: '{rawUrl}'", rawUrl));
        }

        // https://user:pass@host/… : HTTP Basic credentials, never part of the URL on the wire, in logs or in ErrorUrl.
        var credentials = BasicCredentials.Take(ref url);
        method = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) ? "GET" : "POST";
        var idempotencyToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(overrides.TotalTimeout);

        FetchFailure? failure = null;
        var notifications = new List<TwimlNotification>();
        for (var attempt = 0; attempt <= overrides.RetryCount; attempt++)
        {
            HttpAnswer? answer;
            try
            {
                (answer, failure) = await _exchange.SendAsync(url, method, authToken, parameters, idempotencyToken, credentials, overrides, total.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = FetchFailure.Of(TwimlErrorCodes.HttpRetrievalFailure,
                    "HTTP retrieval failure: total time for all attempts exceeded", url.AbsoluteUri);
                break;
            }

            if (answer is not null)
            {
                failure = answer.Status is >= 200 and < 300 ? null : FetchFailure.Of(TwimlErrorCodes.HttpRetrievalFailure,
                    $"HTTP retrieval failure: the application answered {answer.Status}", url.AbsoluteUri,
                    answer.Status >= 500 ? RetryPolicy.ServerError : RetryPolicy.ClientError);
                if (failure is null)
                {
                    return Interpret(answer);
                }
            }

            _logger.LogWarning("Instruction fetch attempt {Attempt} to {Url} failed: {Code} {Message}",
                attempt + 1, url.AbsoluteUri, failure!.Notification.Code, failure.Notification.Message);
            if ((failure.Kind & overrides.RetryPolicy) == RetryPolicy.None || total.IsCancellationRequested)
            {
                break;
            }
        }

        notifications.Add(failure!.Notification);
        return FetchResult.Failed(failure.Notification, notifications);
    }

    private static FetchResult Interpret(HttpAnswer answer)
    {
        var mediaType = answer.MediaType?.ToLowerInvariant();
        if (answer.Body.Length > TwimlParser.MaxDocumentBytes)
        {
            return Fail(new TwimlNotification(TwimlErrorCodes.ResponseBodyTooLarge,
                $"TwiML response body too large: over {TwimlParser.MaxDocumentBytes} bytes", answer.FinalUrl));
        }

        if (mediaType is not null && mediaType.StartsWith("audio/", StringComparison.Ordinal))
        {
            return new FetchResult { AudioUrl = answer.FinalUrl, DocumentUrl = answer.FinalUrl };
        }

        if (mediaType is not ("text/xml" or "application/xml" or "text/html"))
        {
            return Fail(new TwimlNotification(TwimlErrorCodes.InvalidContentType,
                $"Invalid Content-Type '{answer.MediaType ?? "(none)"}': expected TwiML (text/xml, application/xml) or audio", answer.FinalUrl));
        }

        var parsed = TwimlParser.Parse(answer.Body);
        return parsed.Succeeded
            ? new FetchResult { Program = parsed.Program, DocumentUrl = answer.FinalUrl, Notifications = parsed.Program!.Warnings }
            : Fail(parsed.Error! with { Url = answer.FinalUrl });
    }

    private static FetchResult Fail(TwimlNotification error) => FetchResult.Failed(error, [error]);

    private static bool TryResolve(string url, string? baseUrl, out Uri resolved)
    {
        resolved = null!;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            resolved = absolute;
            return true;
        }

        if (baseUrl is not null && Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri) &&
            Uri.TryCreate(baseUri, url, out var relative) && relative.Scheme is "http" or "https")
        {
            resolved = relative;
            return true;
        }

        return false;
    }

    public void Dispose() => _http.Dispose();
}
