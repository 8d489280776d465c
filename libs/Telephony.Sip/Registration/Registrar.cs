using System.Globalization;
using Telephony.Sip.Auth;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Registration;

public sealed record RegistrarOptions
{
    public int MinExpires { get; init; } = 60;

    public int MaxExpires { get; init; } = 7200;

    public int DefaultExpires { get; init; } = 3600;

    /// <summary>When set, REGISTER must authenticate (401 challenge) with a password from <see cref="Passwords"/>.</summary>
    public DigestServer? Authenticator { get; init; }

    public Func<string, string?>? Passwords { get; init; }
}

/// <summary>One contact bound to an address of record.</summary>
public sealed record RegistrarBinding(string AddressOfRecord, NameAddress Contact, string CallId, long CSeq, DateTimeOffset ExpiresAt)
{
    public double Quality => double.TryParse(Contact.Parameters["q"], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 1.0;
}

/// <summary>
/// Registrar core (RFC 3261 §10.3): bindings per address of record with expiry, Min-Expires/423, multiple contacts,
/// `Contact: *` with Expires 0, Call-ID/CSeq ordering (500 on replay). Storage is in memory; callers can mirror it.
/// </summary>
public sealed class Registrar(TimeProvider time, RegistrarOptions? options = null)
{
    private readonly RegistrarOptions _options = options ?? new RegistrarOptions();
    private readonly Dictionary<string, List<RegistrarBinding>> _bindings = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Raised after bindings of an address of record changed (registered, refreshed, removed).</summary>
    public event Action<string, IReadOnlyList<RegistrarBinding>>? BindingsChanged;

    public static string AddressOfRecord(SipUri uri) =>
        $"{uri.Scheme}:{SipUri.Unescape(uri.User)}@{uri.Host.ToLowerInvariant()}";

    /// <summary>Current bindings, best q first; expired ones are dropped on the way.</summary>
    public IReadOnlyList<RegistrarBinding> Lookup(string addressOfRecord)
    {
        lock (_sync)
        {
            return CurrentLocked(addressOfRecord);
        }
    }

    public SipResponse Handle(SipRequest register)
    {
        if (_options.Authenticator is { } authenticator)
        {
            var user = authenticator.Verify(register, _options.Passwords ?? (_ => null), out var stale);
            if (user is null)
            {
                return authenticator.Challenge(register, stale);
            }
        }

        if (register.To?.Uri is not { IsSip: true } toUri)
        {
            return SipResponses.Create(register, 404);
        }

        var aor = AddressOfRecord(toUri);
        var contacts = register.Contacts;
        var headerExpires = register.Expires;
        var callId = register.CallId!;
        var cseq = register.CSeq!.Value.Number;
        var now = time.GetUtcNow();
        IReadOnlyList<RegistrarBinding> changed;
        lock (_sync)
        {
            var current = CurrentLocked(aor).ToList();
            if (contacts.Any(c => c.IsWildcard))
            {
                if (contacts.Count != 1 || headerExpires != 0)
                {
                    return SipResponses.Create(register, 400, "Wildcard Contact requires Expires: 0");
                }

                if (current.Any(b => b.CallId == callId && cseq <= b.CSeq))
                {
                    return SipResponses.Create(register, 500, "Out of order REGISTER");
                }

                _bindings.Remove(aor);
                changed = [];
            }
            else
            {
                foreach (var contact in contacts)
                {
                    var expires = ContactExpires(contact, headerExpires);
                    if (expires > 0 && expires < _options.MinExpires)
                    {
                        var tooBrief = SipResponses.Create(register, 423);
                        tooBrief.Headers.Add(HeaderNames.MinExpires, _options.MinExpires.ToString(CultureInfo.InvariantCulture));
                        return tooBrief;
                    }

                    var existing = current.FindIndex(b => b.Contact.Uri.UriEquals(contact.Uri));
                    if (existing >= 0 && current[existing].CallId == callId && cseq <= current[existing].CSeq)
                    {
                        return SipResponses.Create(register, 500, "Out of order REGISTER");
                    }

                    if (existing >= 0)
                    {
                        current.RemoveAt(existing);
                    }

                    if (expires > 0)
                    {
                        var bound = contact.Clone();
                        bound.Parameters.Remove("expires");
                        current.Add(new RegistrarBinding(aor, bound, callId, cseq, now.AddSeconds(Math.Min(expires, _options.MaxExpires))));
                    }
                }

                _bindings[aor] = current;
                changed = CurrentLocked(aor);
            }
        }

        if (contacts.Count > 0)
        {
            BindingsChanged?.Invoke(aor, changed);
        }

        var ok = SipResponses.Create(register, 200, toTag: Transactions.SipStack.NewTag());
        foreach (var binding in changed)
        {
            var listed = binding.Contact.Clone();
            var remaining = (int)Math.Max(0, (binding.ExpiresAt - now).TotalSeconds);
            listed.Parameters.Set("expires", remaining.ToString(CultureInfo.InvariantCulture));
            ok.Headers.Add(HeaderNames.Contact, listed.ToString());
        }

        ok.Headers.Add(HeaderNames.Date, now.ToString("r", CultureInfo.InvariantCulture));
        return ok;
    }

    private int ContactExpires(NameAddress contact, int? headerExpires)
    {
        if (int.TryParse(contact.Parameters["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var own))
        {
            return own;
        }

        return headerExpires ?? _options.DefaultExpires;
    }

    private List<RegistrarBinding> CurrentLocked(string aor)
    {
        if (!_bindings.TryGetValue(aor, out var list))
        {
            return [];
        }

        var now = time.GetUtcNow();
        list.RemoveAll(b => b.ExpiresAt <= now);
        if (list.Count == 0)
        {
            _bindings.Remove(aor);
        }

        return [.. list.OrderByDescending(b => b.Quality)];
    }
}
