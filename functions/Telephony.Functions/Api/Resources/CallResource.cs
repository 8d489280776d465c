using System.Globalization;
using Telephony.Core.Calls;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The Call resource as Twilio's 2010-04-01 API returns it.</summary>
internal sealed record CallResource
{
    public required string Sid { get; init; }

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    public string? ParentCallSid { get; init; }

    public required string AccountSid { get; init; }

    /// <summary>The call batch that created the call (an extension of this platform; null otherwise).</summary>
    public string? BatchSid { get; init; }

    public required string To { get; init; }

    public required string ToFormatted { get; init; }

    public required string From { get; init; }

    public required string FromFormatted { get; init; }

    public string? PhoneNumberSid { get; init; }

    public required string Status { get; init; }

    public string? StartTime { get; init; }

    public string? EndTime { get; init; }

    public string? Duration { get; init; }

    public string? Price { get; init; }

    public string PriceUnit { get; init; } = "USD";

    public required string Direction { get; init; }

    public string? AnsweredBy { get; init; }

    public string ApiVersion { get; init; } = "2010-04-01";

    public string? ForwardedFrom { get; init; }

    public string? GroupSid { get; init; }

    public string? CallerName { get; init; }

    public string? QueueTime { get; init; }

    public string? TrunkSid { get; init; }

    public required string Uri { get; init; }

    public required IReadOnlyDictionary<string, string> SubresourceUris { get; init; }

    public static CallResource Of(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new CallResource
        {
            Sid = call.Sid,
            DateCreated = Rfc2822.Format(call.DateCreated),
            DateUpdated = Rfc2822.Format(call.DateUpdated),
            ParentCallSid = call.ParentCallSid,
            AccountSid = call.AccountSid,
            BatchSid = call.BatchSid,
            To = call.To,
            ToFormatted = call.To,
            From = call.From,
            FromFormatted = call.From,
            Status = CallStatuses.ToWire(call.Status),
            StartTime = Rfc2822.Format(call.StartTime),
            EndTime = Rfc2822.Format(call.EndTime),
            Duration = call.Duration?.ToString(CultureInfo.InvariantCulture),
            Direction = call.Direction,
            AnsweredBy = call.AnsweredBy,
            CallerName = call.CallerName,
            QueueTime = (call.QueueTime ?? 0).ToString(CultureInfo.InvariantCulture),
            Uri = ApiRoutes.Call(call.AccountSid, call.Sid),
            SubresourceUris = new Dictionary<string, string>
            {
                ["notifications"] = ApiRoutes.CallSubresource(call.AccountSid, call.Sid, "Notifications"),
                ["recordings"] = ApiRoutes.CallSubresource(call.AccountSid, call.Sid, "Recordings"),
                ["events"] = ApiRoutes.CallSubresource(call.AccountSid, call.Sid, "Events"),
            },
        };
    }
}
