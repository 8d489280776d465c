using Telephony.Core.Applications;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The Application resource (2010-04-01); the messaging fields are present and empty because this platform is voice only.</summary>
internal sealed record ApplicationResource
{
    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string FriendlyName { get; init; }

    public string ApiVersion { get; init; } = "2010-04-01";

    public string? VoiceUrl { get; init; }

    public required string VoiceMethod { get; init; }

    public string? VoiceFallbackUrl { get; init; }

    public required string VoiceFallbackMethod { get; init; }

    public string? StatusCallback { get; init; }

    public required string StatusCallbackMethod { get; init; }

    public bool VoiceCallerIdLookup { get; init; }

    public string? SmsUrl { get; init; }

    public string SmsMethod { get; init; } = "POST";

    public string? SmsFallbackUrl { get; init; }

    public string SmsFallbackMethod { get; init; } = "POST";

    public string? SmsStatusCallback { get; init; }

    public string? MessageStatusCallback { get; init; }

    public bool PublicApplicationConnectEnabled { get; init; }

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    public required string Uri { get; init; }

    public static string ListPath(string accountSid) => $"{ApiRoutes.Version}/Accounts/{accountSid}/Applications.json";

    public static ApplicationResource Of(ApplicationRecord application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new ApplicationResource
        {
            Sid = application.Sid,
            AccountSid = application.AccountSid,
            FriendlyName = application.FriendlyName,
            VoiceUrl = application.Voice.Url,
            VoiceMethod = application.Voice.Method,
            VoiceFallbackUrl = application.Voice.FallbackUrl,
            VoiceFallbackMethod = application.Voice.FallbackMethod,
            StatusCallback = application.Voice.StatusCallback,
            StatusCallbackMethod = application.Voice.StatusCallbackMethod,
            DateCreated = Rfc2822.Format(application.DateCreated),
            DateUpdated = Rfc2822.Format(application.DateUpdated),
            Uri = $"{ApiRoutes.Version}/Accounts/{application.AccountSid}/Applications/{application.Sid}.json",
        };
    }
}
