using System.Collections.Concurrent;
using Telephony.Core.Presence;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// Mirrors one node's registrar bindings into <see cref="PresenceRegistry"/> with as few storage writes as keep it true:
/// a changed contact set is synced in full (rows written, this node's stale rows deleted); a refresh of the same
/// contacts rewrites only the rows, and is skipped while the rows already written stay live for more than half of the
/// new interval (a client refreshing early costs no write; the row's expiry lags the binding's by at most half).
/// </summary>
internal sealed class PresenceMirror(PresenceRegistry presence, TimeProvider time, string nodeId)
{
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<string, Written> _written = new(StringComparer.Ordinal);

    public async Task MirrorAsync(string accountSid, string identity, IReadOnlyList<PresenceRegistration> current, CancellationToken cancellationToken)
    {
        var key = accountSid + "\n" + identity;
        // A client reconnecting from a new address or port keeps its contact but needs its flow rewritten.
        var contacts = string.Join('\n', current.Select(r => r.RegistrationId + " " + r.ReceivedFrom).Order(StringComparer.Ordinal));
        var now = time.GetUtcNow();
        var earliest = current.Count == 0 ? now : current.Min(r => r.ExpiresAt);
        if (_written.TryGetValue(key, out var last) && last.Contacts == contacts && current.Count > 0)
        {
            if (last.EarliestExpiry - now > (earliest - now) / 2)
            {
                return;
            }

            foreach (var registration in current)
            {
                await presence.RegisterAsync(registration, cancellationToken);
            }
        }
        else
        {
            await presence.SyncNodeAsync(accountSid, identity, nodeId, current, cancellationToken);
        }

        if (current.Count == 0)
        {
            _written.TryRemove(key, out _);
            return;
        }

        _written[key] = new Written(contacts, earliest);
        if (_written.Count > PruneAbove)
        {
            foreach (var stale in _written.Where(e => e.Value.EarliestExpiry <= now))
            {
                _written.TryRemove(stale);
            }
        }
    }

    private sealed record Written(string Contacts, DateTimeOffset EarliestExpiry);
}
