using Telephony.Core.Net;
using Telephony.Core.Webhooks;

namespace Telephony.Core.Callbacks;

/// <summary>How one delivery attempt ended: 2xx, or the Twilio error code (11200 HTTP error, 11205 connection) and why.</summary>
public sealed record CallbackAttempt(bool Delivered, int? HttpStatus, int ErrorCode, string Detail)
{
    public const int HttpRetrievalFailure = 11200;
    public const int HttpConnectionFailure = 11205;
}

/// <summary>
/// Posts (or GETs) one callback signed with the account's auth token (X-Twilio-Signature), through the outbound
/// address guard. Never throws for the tenant's failures: they come back as a <see cref="CallbackAttempt"/>.
/// </summary>
public sealed class CallbackSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public CallbackSender(bool allowInternalAddresses, TimeSpan timeout)
    {
        _http = new HttpClient(new GuardedConnector(allowInternalAddresses).CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _timeout = timeout;
    }

    public async Task<CallbackAttempt> SendAsync(CallbackMessage message, string authToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(message.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return new CallbackAttempt(false, null, CallbackAttempt.HttpRetrievalFailure, $"invalid callback URL '{message.Url}'");
        }

        using var request = message.Method == "GET"
            ? SignedWebhookRequest.Get(url, authToken, message.Parameters)
            : SignedWebhookRequest.Form(url, authToken, message.Parameters);
        request.Headers.TryAddWithoutValidation("User-Agent", "TwilioProxy/1.1");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new CallbackAttempt(true, status, 0, $"{status}")
                : new CallbackAttempt(false, status, CallbackAttempt.HttpRetrievalFailure, $"HTTP retrieval failure: the application answered {status}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = e is OperationCanceledException;
            return new CallbackAttempt(false, null, timedOut ? CallbackAttempt.HttpRetrievalFailure : CallbackAttempt.HttpConnectionFailure,
                timedOut ? $"HTTP retrieval failure: no answer within {_timeout.TotalSeconds:F0} s" : "HTTP connection failure: " + e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
