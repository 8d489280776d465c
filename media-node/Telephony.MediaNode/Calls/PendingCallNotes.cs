using Telephony.Core.Calls;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// Events noted for calls and not yet stored (<see cref="CallNote"/>), per call, oldest first. One lock for all:
/// a call adds and takes a few per lifetime, so it is never contended for long. Safe for concurrent callers.
/// </summary>
internal sealed class PendingCallNotes
{
    private readonly Dictionary<string, Pending> _calls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed record Pending(string AccountSid, List<CallNote> Notes);

    /// <summary>Adds a note; returns how many the call now has pending.</summary>
    public int Add(string accountSid, string callSid, CallNote note)
    {
        lock (_lock)
        {
            if (!_calls.TryGetValue(callSid, out var pending))
            {
                _calls[callSid] = pending = new Pending(accountSid, []);
            }

            pending.Notes.Add(note);
            return pending.Notes.Count;
        }
    }

    /// <summary>Takes the call's oldest notes, at most <paramref name="limit"/>, for a write.</summary>
    public CallNote[] Take(string callSid, int limit)
    {
        lock (_lock)
        {
            if (!_calls.TryGetValue(callSid, out var pending))
            {
                return [];
            }

            var count = Math.Min(limit, pending.Notes.Count);
            var taken = pending.Notes.GetRange(0, count).ToArray();
            pending.Notes.RemoveRange(0, count);
            if (pending.Notes.Count == 0)
            {
                _calls.Remove(callSid);
            }

            return taken;
        }
    }

    /// <summary>Puts back notes a failed write took, ahead of any noted since.</summary>
    public void PutBack(string accountSid, string callSid, CallNote[] notes)
    {
        if (notes.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (!_calls.TryGetValue(callSid, out var pending))
            {
                _calls[callSid] = pending = new Pending(accountSid, []);
            }

            pending.Notes.InsertRange(0, notes);
        }
    }

    /// <summary>Calls whose oldest note was made before <paramref name="before"/>, or that have <paramref name="many"/> or more.</summary>
    public List<(string AccountSid, string CallSid)> Due(DateTimeOffset before, int many)
    {
        lock (_lock)
        {
            var due = new List<(string, string)>();
            foreach (var (callSid, pending) in _calls)
            {
                if (pending.Notes[0].Timestamp < before || pending.Notes.Count >= many)
                {
                    due.Add((pending.AccountSid, callSid));
                }
            }

            return due;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _calls.Count;
            }
        }
    }
}
