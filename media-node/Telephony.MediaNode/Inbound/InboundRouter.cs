using Telephony.Core.Accounts;
using Telephony.Core.Applications;
using Telephony.Core.Calls;
using Telephony.Core.Ids;
using Telephony.Core.Numbers;
using Telephony.MediaNode.Presence;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Inbound;

/// <summary>
/// Decides what happens to an incoming INVITE: the called number's owner, its voice URLs (the number's own, else
/// its VoiceApplicationSid's) and status callback, or the SIP refusal: 404 for a number nobody holds, 403 for a
/// number whose account is suspended or closed, 480 for a number with no voice URL. The number and its account are
/// read through 5 s caches (<see cref="CachedPhoneNumberDirectory"/>, <see cref="CachedAccounts"/>): a busy number
/// costs no storage read per call, and a change to either reaches this node within those 5 s.
/// </summary>
public sealed class InboundRouter(
    ClientCallRouter clientCalls,
    CachedPhoneNumberDirectory directory,
    CachedAccounts accounts,
    ApplicationStore applications,
    TimeProvider time,
    ILogger<InboundRouter> logger)
{
    public async Task<InboundRoute> RouteAsync(SipRequest invite, string nodeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (ClientCallRouter.CarriesBearer(invite))
        {
            return await clientCalls.RouteAsync(invite, nodeId, cancellationToken);
        }

        var called = InboundAddresses.CalledNumber(invite);
        if (called is null || await directory.FindAsync(called, cancellationToken) is not { } number)
        {
            logger.LogInformation("Incoming call to {Called}: no account holds that number (404)", called ?? invite.Uri.User ?? "(none)");
            return InboundRoute.Refuse(404);
        }

        var account = await accounts.GetAsync(number.AccountSid, cancellationToken);
        if (account is null || account.Status != AccountStatus.Active)
        {
            // Another node would refuse too, so this is final for the caller rather than a 503 that invites retries.
            logger.LogWarning("Incoming call to {Called}: account {AccountSid} is not active (403)", called, number.AccountSid);
            return InboundRoute.Refuse(403);
        }

        var instructions = await InstructionsAsync(number, cancellationToken);
        if (instructions?.Url is null)
        {
            logger.LogWarning("Incoming call to {Called} of {AccountSid}: the number has no voice URL (480)", called, number.AccountSid);
            return InboundRoute.Refuse(480);
        }

        var now = time.GetUtcNow();
        var record = new CallRecord
        {
            Sid = Sid.NewTimeOrdered(Sid.CallPrefix, now),
            AccountSid = number.AccountSid,
            To = called,
            From = InboundAddresses.Caller(invite),
            CallerName = InboundAddresses.CallerName(invite),
            Direction = "inbound",
            Status = CallStatus.Ringing,
            DateCreated = now,
            DateUpdated = now,
            NodeId = nodeId,
            Instructions = instructions,
        };
        return new InboundRoute(record, account.AuthToken, 0);
    }

    /// <summary>The number's voice URLs, or its application's when the number has none; status callback from the same place.</summary>
    private async Task<CallInstructions?> InstructionsAsync(PhoneNumberRecord number, CancellationToken cancellationToken)
    {
        if (number.Voice.HasUrl)
        {
            return number.Voice.ToInstructions();
        }

        if (string.IsNullOrEmpty(number.VoiceApplicationSid) ||
            await applications.GetAsync(number.AccountSid, number.VoiceApplicationSid, cancellationToken) is not { Voice.HasUrl: true } application)
        {
            return null;
        }

        return application.Voice.ToInstructions();
    }
}

/// <summary>An accepted call (the record to create and the account's token) or a SIP refusal.</summary>
public sealed record InboundRoute(CallRecord? Record, string? AuthToken, int RefusalStatus)
{
    public bool Accepted => Record is not null;

    /// <summary>Headers sent with the refusal (e.g. a client call's <c>WWW-Authenticate: Bearer</c> challenge).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RefusalHeaders { get; init; } = [];

    /// <summary>Sent to the voice URL after the standard parameters (a client call's token params and X- headers).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CustomParameters { get; init; } = [];

    public static InboundRoute Refuse(int status) => new(null, null, status);
}
