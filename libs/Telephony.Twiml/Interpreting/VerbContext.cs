using System.Globalization;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Interpreting;

/// <summary>What a verb runs with: the session, the clock, the current document's URL and the event sink.</summary>
public sealed class VerbContext(ICallSession session, TimeProvider time, DateTimeOffset callStart, ICallEventSink events, InterpreterOptions options)
{
    private readonly List<TwimlNotification> _notifications = [];

    public ICallSession Session { get; } = session;

    public TimeProvider Time { get; } = time;

    public InterpreterOptions Options { get; } = options;

    /// <summary>The URL the running document came from; action defaults and relative URLs use it.</summary>
    public string DocumentUrl { get; set; } = string.Empty;

    public IReadOnlyList<TwimlNotification> Notifications => _notifications;

    public TimeSpan Elapsed => Time.GetUtcNow() - callStart;

    public void Emit(string type, params (string Key, string? Value)[] details)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        events.Emit(new CallEvent(Elapsed, type, map));
    }

    public void Notify(TwimlNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        _notifications.Add(notification);
        Emit(CallEventTypes.Notification,
            ("code", notification.Code.ToString(CultureInfo.InvariantCulture)), ("message", notification.Message), ("url", notification.Url));
    }

    /// <summary>Times to repeat for a loop attribute: 0 means "until the call ends", bounded.</summary>
    public int Repetitions(int loop) => loop == 0 ? Options.MaxLoop : loop;
}
