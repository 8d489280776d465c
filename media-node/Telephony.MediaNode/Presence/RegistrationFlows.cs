using System.Collections.Concurrent;
using Telephony.Sip.Messages;
using Telephony.Sip.Registration;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// The address each bound contact's last REGISTER came from (the SIP registrar core keeps contacts, not sources), so
/// calls reach a device over its own flow: two devices of one identity each keep theirs.
/// </summary>
internal sealed class RegistrationFlows(TimeProvider time)
{
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<string, Flow> _flows = new(StringComparer.Ordinal);

    /// <summary>Records the REGISTER's source for each of its contacts that is still bound.</summary>
    public void Remember(string accountSid, SipRequest register, IReadOnlyList<RegistrarBinding> bindings)
    {
        if (register.Source is not { } source)
        {
            return;
        }

        var contacts = register.Contacts;
        foreach (var binding in bindings.Where(b => contacts.Any(c => !c.IsWildcard && c.Uri.UriEquals(b.Contact.Uri))))
        {
            _flows[Key(accountSid, binding)] = new Flow(source.ToString(), binding.ExpiresAt);
        }

        if (_flows.Count > PruneAbove)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _flows.Where(e => e.Value.ExpiresAt <= now))
            {
                _flows.TryRemove(stale);
            }
        }
    }

    public string? Of(string accountSid, RegistrarBinding binding) =>
        _flows.TryGetValue(Key(accountSid, binding), out var flow) ? flow.Source : null;

    private static string Key(string accountSid, RegistrarBinding binding) => accountSid + "\n" + binding.Contact.Uri;

    private sealed record Flow(string Source, DateTimeOffset ExpiresAt);
}
