using System.Buffers;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Parameters;

namespace Telephony.Core.Calls;

/// <summary>
/// Validates the parameters of <c>POST Calls.json</c> into a new queued <see cref="CallRecord"/>.
/// Every Twilio parameter not implemented here is refused by name (see <see cref="RequestParameters.RejectUnread"/>).
/// </summary>
public static class CallCreateParser
{
    public const int MaxTwimlLength = 4000;
    public const int MaxSendDigitsLength = 32;
    public const int MaxTimeLimit = 86400;

    private static readonly SearchValues<char> DigitChars = SearchValues.Create("0123456789*#wW");
    private static readonly string[] StatusCallbackEventNames = ["initiated", "ringing", "answered", "completed"];
    private static readonly string[] RecordingEventNames = ["in-progress", "completed", "absent"];

    public static CallRecord Parse(RequestParameters parameters, string accountSid, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var to = parameters.Single("To");
        if (string.IsNullOrEmpty(to))
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.MissingTo, "Required parameter \"To\" is missing.");
        }

        if (!CallAddress.IsValid(to))
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidTo, $"Invalid 'To' Phone Number: {ParameterRules.Truncate(to)}");
        }

        var from = parameters.Single("From");
        if (string.IsNullOrEmpty(from))
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.MissingFrom, "Required parameter \"From\" is missing.");
        }

        if (!CallAddress.IsValid(from))
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidFrom, $"Invalid 'From' Phone Number: {ParameterRules.Truncate(from)}");
        }

        var instructions = ParseInstructions(parameters);
        var options = ParseOptions(parameters);
        parameters.RejectUnread();
        return new CallRecord
        {
            Sid = Sid.NewTimeOrdered(Sid.CallPrefix, now),
            AccountSid = accountSid,
            To = to,
            From = from,
            Status = CallStatus.Queued,
            DateCreated = now,
            DateUpdated = now,
            Instructions = instructions,
            Options = options,
        };
    }

    private static CallInstructions ParseInstructions(RequestParameters p)
    {
        var url = ParameterRules.AbsoluteHttpUrl(p, "Url");
        var twiml = ParseTwiml(p);
        if (url is null && twiml is null)
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidUrl, "Either Url or Twiml is required to create a call.");
        }

        var events = EventList(p, "StatusCallbackEvent", StatusCallbackEventNames);
        return new CallInstructions
        {
            Url = url,
            Method = ParameterRules.HttpMethod(p, "Method"),

            // Twilio documents that Twiml is ignored when Url is also given.
            Twiml = url is null ? twiml : null,
            FallbackUrl = ParameterRules.AbsoluteHttpUrl(p, "FallbackUrl"),
            FallbackMethod = ParameterRules.HttpMethod(p, "FallbackMethod"),
            StatusCallback = ParameterRules.AbsoluteHttpUrl(p, "StatusCallback"),
            StatusCallbackMethod = ParameterRules.HttpMethod(p, "StatusCallbackMethod"),
            StatusCallbackEvents = events.Count > 0 ? events : ["completed"],
        };
    }

    internal static string? ParseTwiml(RequestParameters p)
    {
        var twiml = p.Single("Twiml");
        if (twiml is null)
        {
            return null;
        }

        if (twiml.Length is 0 or > MaxTwimlLength)
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, $"Twiml must be 1 to {MaxTwimlLength} characters long.");
        }

        return twiml;
    }

    private static CallOptions ParseOptions(RequestParameters p)
    {
        var sendDigits = p.Single("SendDigits");
        if (sendDigits is not null
            && (sendDigits.Length > MaxSendDigitsLength || sendDigits.AsSpan().ContainsAnyExcept(DigitChars)))
        {
            throw RequestParameters.Invalid(
                TwilioErrorCodes.InvalidParameter, $"SendDigits may hold up to {MaxSendDigitsLength} of 0-9, *, # and w.");
        }

        var recordingEvents = EventList(p, "RecordingStatusCallbackEvent", RecordingEventNames);
        return new CallOptions
        {
            Timeout = p.Int("Timeout", 1, CallOptions.MaxTimeout) ?? CallOptions.DefaultTimeout,
            TimeLimit = p.Int("TimeLimit", 1, MaxTimeLimit) ?? CallOptions.DefaultTimeLimit,
            SendDigits = sendDigits,
            Record = p.Bool("Record") ?? false,
            RecordingChannels = OneOf(p, "RecordingChannels", "mono", "dual"),
            RecordingStatusCallback = ParameterRules.AbsoluteHttpUrl(p, "RecordingStatusCallback"),
            RecordingStatusCallbackMethod = ParameterRules.HttpMethod(p, "RecordingStatusCallbackMethod"),
            RecordingStatusCallbackEvents = recordingEvents.Count > 0 ? recordingEvents : ["completed"],
            RecordingTrack = OneOf(p, "RecordingTrack", "inbound", "outbound", "both"),
            Trim = OneOf(p, "Trim", "trim-silence", "do-not-trim"),
        };
    }

    /// <summary>A repeated parameter whose values may also be space-separated (both forms occur in Twilio clients).</summary>
    internal static List<string> EventList(RequestParameters p, string name, string[] allowed)
    {
        var result = new List<string>();
        foreach (var value in p.All(name))
        {
            foreach (var item in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var known = Array.Find(allowed, a => a.Equals(item, StringComparison.OrdinalIgnoreCase))
                    ?? throw RequestParameters.Invalid(
                        TwilioErrorCodes.InvalidParameter, $"{name} '{ParameterRules.Truncate(item)}' is not one of {string.Join(", ", allowed)}");
                if (!result.Contains(known))
                {
                    result.Add(known);
                }
            }
        }

        return result;
    }

    private static string? OneOf(RequestParameters p, string name, params string[] allowed)
    {
        var value = p.Single(name);
        if (value is null)
        {
            return null;
        }

        return Array.Find(allowed, a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw RequestParameters.Invalid(
                TwilioErrorCodes.InvalidParameter, $"{name} must be one of {string.Join(", ", allowed)}");
    }
}
