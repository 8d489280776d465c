using Telephony.Core.Presence;
using Telephony.MediaNode.Bridging;
using Telephony.MediaNode.Dialing;
using Telephony.MediaNode.Work;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// The owning node's half of ringing a client registered here from a call on another node: a one-to-one B2BUA. The
/// calling node's Dial already rings each registration as its own leg (first answer wins there, the others are
/// CANCELed there), so this side rings exactly the one registration the signed <see cref="RelaySignature.Header"/>
/// names, over its flow, passes ringing, the answer, CANCEL and BYE through and bridges audio and digits with the same
/// AudioBridge and DtmfRelay a Dial uses. No call record is written here: the calling node keeps the leg's record.
/// Refusals: 403 without a valid signature, 480 when the registration is no longer here, else the client's own status.
/// </summary>
public sealed partial class ClientRelay(
    RelaySignature signature, PresenceRegistry presence, NodeIdentity node, OutboundDialer dialer, TimeProvider time, ILogger<ClientRelay> logger)
{
    /// <summary>The calling node's Dial times the ringing out; this bound only stops a leg the caller forgot.</summary>
    private static readonly TimeSpan MaxRing = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan HangupWait = TimeSpan.FromSeconds(5);

    public static bool IsRelay(SipRequest invite) => invite?.Headers.Get(RelaySignature.Header) is not null;

    public async Task RunAsync(SipCall inbound, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        if (signature.Verify(inbound.Invite!) is not { } claims)
        {
            LogForged(logger, inbound.CallId ?? string.Empty, inbound.Remote.ToString());
            inbound.Reject(403);
            return;
        }

        var registration = (await presence.LookupAsync(claims.AccountSid, claims.Identity, stopping))
            .FirstOrDefault(r => r.RegistrationId == claims.RegistrationId && r.NodeId == node.Id);
        if (registration is null || ClientRoutes.Direct(registration) is not { } route)
        {
            inbound.Reject(480);
            return;
        }

        using var ringing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var from = SipUri.Unescape(inbound.Invite!.From?.Uri.User) ?? "anonymous";
        var request = new DialRequest(ClientIdentity.Prefix + claims.Identity, from, MaxRing, inbound.CallId ?? string.Empty)
        {
            Headers = ClientParameterHeaders.Of(inbound.Invite),
        };
        var dialing = dialer.DialAsync([route], request, null, inbound.Ring, ringing.Token);

        // The calling node CANCELs (another device answered, or its caller left): the client's INVITE is CANCELed too.
        await Task.WhenAny(dialing, inbound.Completion);
        if (!dialing.IsCompleted)
        {
            await ringing.CancelAsync();
        }

        var result = await dialing;
        if (result.Answered is not { } client)
        {
            if (!inbound.Completion.IsCompleted)
            {
                inbound.Reject(result.Failure is { SipStatus: >= 400 and < 700 } failure ? failure.SipStatus : 480);
            }

            return;
        }

        if (inbound.Completion.IsCompleted)
        {
            client.Hangup();
            return;
        }

        inbound.Answer();
        LogBridged(logger, claims.AccountSid, claims.Identity, inbound.CallId ?? string.Empty);
        await BridgeAsync(inbound, client, stopping);
    }

    private async Task BridgeAsync(SipCall inbound, SipCall client, CancellationToken stopping)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (new DtmfRelay(inbound, client, hangupOnStar: null))
        using (inbound.Media is { } a && client.Media is { } b ? Sip.Rtp.AudioBridge.Connect(a, b) : null)
        using (stopping.Register(() => stopped.TrySetResult()))
        {
            await Task.WhenAny(inbound.Completion, client.Completion, stopped.Task);
        }

        foreach (var call in new[] { inbound, client }.Where(c => !c.Completion.IsCompleted))
        {
            call.Hangup();
            await ((Task)call.Completion).WaitAsync(HangupWait, time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay INVITE {CallId} from {Remote} refused: no valid node signature (403)")]
    private static partial void LogForged(ILogger logger, string callId, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relayed call {CallId} bridged to client {Identity} of {AccountSid}")]
    private static partial void LogBridged(ILogger logger, string accountSid, string identity, string callId);
}
