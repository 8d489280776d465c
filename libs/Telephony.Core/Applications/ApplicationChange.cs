using Telephony.Core.Accounts;
using Telephony.Core.Parameters;
using Telephony.Core.Webhooks;

namespace Telephony.Core.Applications;

/// <summary>
/// The form of <c>POST Applications.json</c> / <c>Applications/{AP}.json</c>; absent fields leave the
/// current value (an empty URL clears it, as Twilio does).
/// </summary>
public sealed record ApplicationChange
{
    public string? FriendlyName { get; init; }

    public VoiceWebhooksChange Voice { get; init; } = new();

    /// <summary>Parses and validates; unknown parameters are refused (20001).</summary>
    public static ApplicationChange Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var change = new ApplicationChange
        {
            FriendlyName = AccountUpdate.ParseFriendlyName(parameters),
            Voice = VoiceWebhooksChange.Parse(parameters),
        };
        parameters.RejectUnread();
        return change;
    }

    public ApplicationRecord ApplyTo(ApplicationRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            FriendlyName = FriendlyName ?? current.FriendlyName,
            Voice = Voice.ApplyTo(current.Voice),
        };
    }
}
