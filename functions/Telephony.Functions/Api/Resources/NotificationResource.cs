using System.Globalization;
using System.Text.Json.Serialization;
using Telephony.Core.Notifications;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The Notification resource as Twilio's 2010-04-01 API returns it (the instance adds the request and response fields).</summary>
internal sealed record NotificationResource
{
    public required string AccountSid { get; init; }

    public string ApiVersion { get; init; } = "2010-04-01";

    public string? CallSid { get; init; }

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    public required string ErrorCode { get; init; }

    public required string Log { get; init; }

    public required string MessageDate { get; init; }

    public required string MessageText { get; init; }

    public required string MoreInfo { get; init; }

    public required string RequestMethod { get; init; }

    public required string RequestUrl { get; init; }

    public required string Sid { get; init; }

    public required string Uri { get; init; }

    /// <summary>Only in the instance representation (Twilio leaves them out of lists).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestVariables { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResponseBody { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResponseHeaders { get; init; }

    public static NotificationResource Of(NotificationRecord notification, bool instance)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new NotificationResource
        {
            AccountSid = notification.AccountSid,
            CallSid = notification.CallSid,
            DateCreated = Rfc2822.Format(notification.DateCreated),
            DateUpdated = Rfc2822.Format(notification.DateCreated),
            ErrorCode = notification.ErrorCode.ToString(CultureInfo.InvariantCulture),
            Log = notification.Log.ToString(CultureInfo.InvariantCulture),
            MessageDate = Rfc2822.Format(notification.MessageDate),
            MessageText = notification.MessageText,
            MoreInfo = notification.MoreInfo,
            RequestMethod = notification.RequestMethod,
            RequestUrl = notification.RequestUrl,
            Sid = notification.Sid,
            Uri = ApiRoutes.Notification(notification.AccountSid, notification.Sid),
            RequestVariables = instance ? string.Empty : null,
            ResponseBody = instance ? string.Empty : null,
            ResponseHeaders = instance ? string.Empty : null,
        };
    }
}
