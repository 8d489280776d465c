using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Verbs;

/// <summary>The recordingStatusCallback attributes of &lt;Record&gt; and &lt;Dial record&gt;, as one callback.</summary>
internal static class RecordingStatusCallbackReader
{
    /// <summary>Twilio's warning for an invalid recordingStatusCallbackEvent.</summary>
    private const int InvalidRecordingStatusCallbackEvent = 13621;

    /// <summary>The URL resolved against the document; unknown event names are dropped with warning 13621; none left means completed.</summary>
    public static RecordingStatusCallback? Read(string? url, string method, string events, string verbName, VerbContext context)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var requested = events.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var known = requested.Where(e => RecordingStatusCallback.KnownEvents.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
        if (known.Count != requested.Length)
        {
            context.Notify(new TwimlNotification(InvalidRecordingStatusCallbackEvent,
                $"<{verbName} recordingStatusCallbackEvent=\"{events}\">: only in-progress, completed and absent are known"));
        }

        return new RecordingStatusCallback(Urls.Resolve(url, context.DocumentUrl), method, known.Count > 0 ? known : ["completed"]);
    }
}
