namespace Telephony.Twiml.Interpreting;

/// <summary>Something that happened on the call, <see cref="At"/> after it started (on the call's clock).</summary>
public sealed record CallEvent(TimeSpan At, string Type, IReadOnlyDictionary<string, string> Details)
{
    public string? this[string key] => Details.TryGetValue(key, out var value) ? value : null;
}

/// <summary>Event types, as the simulator reports them.</summary>
public static class CallEventTypes
{
    public const string Fetch = "fetch";
    public const string Verb = "verb";
    public const string Digits = "digits";
    public const string Record = "record";
    public const string Dial = "dial";
    public const string Hangup = "hangup";
    public const string Notification = "notification";
}

public interface ICallEventSink
{
    void Emit(CallEvent callEvent);
}

/// <summary>Collects events in order (thread-safe).</summary>
public sealed class CallEventLog : ICallEventSink
{
    private readonly List<CallEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<CallEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Emit(CallEvent callEvent)
    {
        lock (_gate)
        {
            _events.Add(callEvent);
        }
    }
}
