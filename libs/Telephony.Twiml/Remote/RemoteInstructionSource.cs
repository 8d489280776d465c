using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Remote;

/// <summary>
/// The media node's <see cref="IInstructionSource"/>: asks the functions app's <c>instructions</c> endpoint, which
/// signs with the account's auth token, fetches and parses; the node records the fetch on the call
/// (<see cref="FetchTimedAsync"/> says what to record). <see cref="FetchRequest.AuthToken"/>
/// is ignored (nodes never hold tenants' tokens); the call is named by the AccountSid and CallSid parameters.
/// A failure to reach the endpoint becomes an 11200 result, so the interpreter ends the call with Twilio's
/// application-error message instead of throwing.
/// </summary>
public sealed class RemoteInstructionSource : IInstructionSource
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _nodeKey;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <param name="http">Used as is (its Timeout applies); the caller owns it.</param>
    /// <param name="functionsBaseUrl">The functions app, e.g. <c>http://127.0.0.1:7071/</c>.</param>
    /// <param name="nodeKey">The shared node key (<c>Telephony:NodeKey</c>).</param>
    /// <param name="time">Measures the round trip when the endpoint does not say how long the fetch took (system time by default).</param>
    public RemoteInstructionSource(HttpClient http, Uri functionsBaseUrl, string nodeKey, ILogger<RemoteInstructionSource>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(functionsBaseUrl);
        ArgumentException.ThrowIfNullOrEmpty(nodeKey);
        _http = http;
        _endpoint = new Uri(WithTrailingSlash(functionsBaseUrl), NodeApi.InstructionsPath);
        _nodeKey = nodeKey;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken) =>
        (await FetchTimedAsync(request, cancellationToken)).Result;

    /// <summary>
    /// Fetches, and says what was asked and how long the fetch took: as the endpoint measured it (the tenant's server,
    /// retries, fallback), or the round trip when the endpoint did not answer it. What the node records on the call.
    /// </summary>
    public async Task<RemoteFetch> FetchTimedAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = ToNodeRequest(request);
        var started = _time.GetTimestamp();
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = JsonContent.Create(body, options: TwimlJson.Options),
        };
        message.Headers.Authorization = NodeApi.Authorization(_nodeKey);
        try
        {
            using var response = await _http.SendAsync(message, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                _logger.LogError("Instructions endpoint answered {Status} for {CallSid}: {Body}", (int)response.StatusCode, body.CallSid, Shorten(text));
                return new RemoteFetch(body, Unavailable(request, $"the instructions service answered {(int)response.StatusCode}"), _time.GetElapsedTime(started));
            }

            var result = await response.Content.ReadFromJsonAsync<FetchResult>(TwimlJson.Options, cancellationToken);
            var elapsed = ElapsedAtEndpoint(response) ?? _time.GetElapsedTime(started);
            return new RemoteFetch(body, result ?? Unavailable(request, "the instructions service answered an empty body"), elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(e, "Instructions endpoint unreachable for {CallSid}", body.CallSid);
            return new RemoteFetch(body, Unavailable(request, "the instructions service is unreachable: " + e.Message), _time.GetElapsedTime(started));
        }
    }

    // Longer than any fetch (the node's own timeout is a minute): a larger figure is not believed, the round trip is used.
    private const long MaxElapsedMilliseconds = 24 * 60 * 60 * 1000;

    private static TimeSpan? ElapsedAtEndpoint(HttpResponseMessage response) =>
        response.Headers.TryGetValues(FetchDescription.ElapsedHeader, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
        && milliseconds <= MaxElapsedMilliseconds
            ? TimeSpan.FromMilliseconds(milliseconds)
            : null;

    /// <summary>The wire request for <paramref name="request"/>; the reason is inferred (a document-relative fetch is an action).</summary>
    public static NodeInstructionRequest ToNodeRequest(FetchRequest request, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new NodeInstructionRequest
        {
            AccountSid = Find(request.Parameters, "AccountSid") ?? string.Empty,
            CallSid = Find(request.Parameters, "CallSid") ?? string.Empty,
            Url = request.Url,
            Method = request.Method,
            BaseUrl = request.BaseUrl,
            FallbackUrl = request.FallbackUrl,
            FallbackMethod = request.FallbackUrl is null ? null : request.FallbackMethod,
            Parameters = request.Parameters,
            Reason = reason ?? (request.BaseUrl is null ? InstructionReasons.Initial : InstructionReasons.Action),
        };
    }

    private static FetchResult Unavailable(FetchRequest request, string why)
    {
        var error = new TwimlNotification(TwimlErrorCodes.HttpRetrievalFailure, "HTTP retrieval failure: " + why, request.Url);
        return FetchResult.Failed(error, [error]);
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> parameters, string name)
    {
        foreach (var (key, value) in parameters)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
