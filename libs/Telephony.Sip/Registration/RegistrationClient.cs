using System.Globalization;
using Telephony.Sip.Auth;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Registration;

public sealed record RegistrationOptions
{
    /// <summary>The registrar's Request-URI, e.g. sip:example.com.</summary>
    public required SipUri Registrar { get; init; }

    /// <summary>Address of record (To/From), e.g. sip:alice@example.com.</summary>
    public required SipUri AddressOfRecord { get; init; }

    public required NameAddress Contact { get; init; }

    public int Expires { get; init; } = 3600;

    public DigestCredentials? Credentials { get; init; }

    /// <summary>Refresh when this fraction of the granted interval has passed.</summary>
    public double RefreshAt { get; init; } = 0.5;
}

/// <summary>
/// REGISTER client (RFC 3261 §10.2): one Call-ID for the registration's lifetime, CSeq increasing, digest retry on
/// 401/407, 423 handled by raising Expires to Min-Expires, refresh before expiry on the stack's scheduler.
/// </summary>
public sealed class RegistrationClient : IDisposable
{
    private readonly SipStack _stack;
    private readonly RegistrationOptions _options;
    private readonly SipEndPoint _destination;
    private readonly string _callId = Guid.NewGuid().ToString("N");
    private readonly string _fromTag = SipStack.NewTag();
    private readonly Lock _sync = new();
    private long _sequence;
    private int _expires;
    private ScheduledTimer? _refresh;
    private bool _disposed;

    public RegistrationClient(SipStack stack, SipEndPoint registrar, RegistrationOptions options)
    {
        _stack = stack;
        _options = options;
        _destination = registrar;
        _expires = options.Expires;
    }

    /// <summary>Seconds the registrar granted in the last successful REGISTER (0 after unregistering).</summary>
    public int GrantedExpires { get; private set; }

    public bool IsRegistered => GrantedExpires > 0;

    public event Action<RegistrationClient, SipResponse>? Registered;

    public event Action<RegistrationClient, SipResponse>? Failed;

    public Task<SipResponse> RegisterAsync() => SendAsync(_expires, challenge: null, attempt: 0);

    /// <summary>Removes our binding (Expires: 0) and stops refreshing.</summary>
    public Task<SipResponse> UnregisterAsync()
    {
        lock (_sync)
        {
            _refresh?.Cancel();
        }

        return SendAsync(0, challenge: null, attempt: 0);
    }

    private async Task<SipResponse> SendAsync(int expires, SipResponse? challenge, int attempt)
    {
        var request = new SipRequest(SipMethods.Register, _options.Registrar);
        request.Headers.Add(HeaderNames.From, $"<{_options.AddressOfRecord}>;tag={_fromTag}");
        request.Headers.Add(HeaderNames.To, $"<{_options.AddressOfRecord}>");
        request.Headers.Add(HeaderNames.CallId, _callId);
        request.Headers.Add(HeaderNames.CSeq, new CSeqHeader(Interlocked.Increment(ref _sequence), SipMethods.Register).ToString());
        request.Headers.Add(HeaderNames.Contact, _options.Contact.ToString());
        request.Headers.Add(HeaderNames.Expires, expires.ToString(CultureInfo.InvariantCulture));
        if (challenge is not null && _options.Credentials is { } credentials)
        {
            DigestClient.TryAuthorize(request, challenge, credentials);
        }

        var completion = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _stack.SendRequest(request, _destination, r =>
        {
            if (!r.IsProvisional)
            {
                completion.TrySetResult(r);
            }
        });
        var response = await completion.Task;

        if (response.StatusCode is 401 or 407 && _options.Credentials is not null && attempt < 2 &&
            (challenge is null || IsStale(response)))
        {
            return await SendAsync(expires, response, attempt + 1);
        }

        if (response.StatusCode == 423 && attempt < 2 &&
            int.TryParse(response.Headers.Get(HeaderNames.MinExpires), NumberStyles.None, CultureInfo.InvariantCulture, out var minimum))
        {
            _expires = minimum;
            return await SendAsync(minimum, challenge, attempt + 1);
        }

        if (response.IsSuccess)
        {
            OnSuccess(response, expires);
        }
        else
        {
            Failed?.Invoke(this, response);
        }

        return response;
    }

    private static bool IsStale(SipResponse response) =>
        response.Headers.GetValues(response.StatusCode == 407 ? HeaderNames.ProxyAuthenticate : HeaderNames.WwwAuthenticate)
            .Any(v => DigestChallenge.TryParse(v, out var c) && c.Stale);

    private void OnSuccess(SipResponse response, int requested)
    {
        var granted = requested == 0 ? 0 : GrantedFor(response) ?? requested;
        lock (_sync)
        {
            GrantedExpires = granted;
            _refresh?.Cancel();
            if (granted > 0 && !_disposed)
            {
                _refresh = _stack.Scheduler.Schedule(TimeSpan.FromSeconds(granted * _options.RefreshAt), () => _ = RegisterAsync());
            }
        }

        Registered?.Invoke(this, response);
    }

    /// <summary>The expiry the registrar granted our contact (§10.2.4): its Contact expires param, else Expires.</summary>
    private int? GrantedFor(SipResponse response)
    {
        foreach (var contact in response.Contacts)
        {
            if (contact.Uri.UriEquals(_options.Contact.Uri) &&
                int.TryParse(contact.Parameters["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        return response.Expires;
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            _refresh?.Cancel();
        }
    }
}
