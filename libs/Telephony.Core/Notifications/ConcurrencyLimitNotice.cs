using System.Globalization;
using Telephony.Core.Errors;

namespace Telephony.Core.Notifications;

/// <summary>The Notification of a call refused because its account already runs its <c>MaxConcurrentCalls</c> (Twilio's 10004).</summary>
public static class ConcurrencyLimitNotice
{
    public const int ErrorCode = TwilioErrorCodes.CallConcurrencyLimitExceeded;

    /// <summary>Stores the notice on <paramref name="callSid"/>'s call: an error, its message form-encoded as Twilio writes them.</summary>
    public static Task<NotificationRecord> AddConcurrencyLimitAsync(
        this NotificationStore notifications, string accountSid, string callSid, string direction, string from, string to, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        return notifications.AddAsync(accountSid, callSid, ErrorCode, NotificationRecord.Error, MessageText(direction, from, to, limit), cancellationToken);
    }

    public static string MessageText(string direction, string from, string to, int limit) => string.Join('&',
        Pair("Msg", "Call concurrency limit exceeded: the account already runs its MaxConcurrentCalls (inbound, outbound and Dial calls together)"),
        Pair("MaxConcurrentCalls", limit.ToString(CultureInfo.InvariantCulture)),
        Pair("Direction", direction),
        Pair("From", from),
        Pair("To", to));

    private static string Pair(string name, string value) => name + "=" + Uri.EscapeDataString(value);
}
