using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Telephony.Core.Accounts;
using Telephony.Core.Calls;
using Telephony.Core.Diagnostics;
using Telephony.Core.Dispatch;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.MediaNode.Bridging;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Dialing;
using Telephony.MediaNode.Prompts;
using Telephony.MediaNode.Recording;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Work;

/// <summary>Turns a dispatched call request into a running call on this node (claim, account, runner, slot).</summary>
public sealed class CallLauncher(
    NodeIdentity node,
    ActiveCalls active,
    TenantConcurrency tenantCalls,
    CallStatusWriter status,
    NodeCallIndex index,
    AccountStore accounts,
    OutboundDialer dialer,
    CallInterpreter interpreter,
    IPromptAudio audio,
    RecordVerbRecorder recorder,
    TimeProvider time,
    ILoggerFactory loggers,
    DialBridge bridge,
    Presence.ClientDialer clients)
{
    private readonly ILogger _logger = loggers.CreateLogger<CallLauncher>();

    /// <summary>
    /// Claims and starts the call in the node slot and the tenant slot (<see cref="TenantConcurrency"/>) the caller already took. Returns the running call's
    /// "placed" task (the dispatch message may be deleted when it completes), or null when there is
    /// nothing to run (already claimed, canceled, or unknown) and the slot was given back.
    /// </summary>
    public async Task<Task?> StartAsync(CallRequestMessage request, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(request);

        // One span per call, from claim to final status; RunAsync (started below) owns and ends it.
        var span = TelephonyTelemetry.Node.StartActivity("call", ActivityKind.Internal).TagCall(request.CallSid, request.AccountSid);
        string authToken;
        CallRecord? record;
        try
        {
            // Indexed before it is claimed: if this process dies at any point after the claim, the reaper finds the call.
            await StorageRetry.RunAsync(
                token => index.AddAsync(new NodeCallEntry(node.Id, request.CallSid, request.AccountSid, node.StartedAt), token),
                time, _logger, "index " + request.CallSid, stopping);
            record = await status.ClaimAsync(request.AccountSid, request.CallSid, node.Id, stopping);
            if (record is null)
            {
                await OnNotClaimedAsync(request);
                span?.Dispose();
                Release(request.AccountSid);
                return null;
            }

            var account = await accounts.GetAsync(record.AccountSid, stopping);
            if (account is null || account.Status != AccountStatus.Active)
            {
                _logger.LogWarning("Call {CallSid}: account {AccountSid} is missing or not active; the call fails", record.Sid, record.AccountSid);
                await status.MoveAsync(record.AccountSid, record.Sid, CallStatus.Failed, CancellationToken.None);
                Unindex(record.Sid);
                span?.Dispose();
                Release(request.AccountSid);
                return null;
            }

            authToken = account.AuthToken;
        }
        catch
        {
            span?.Dispose();
            Release(request.AccountSid);
            throw;
        }

        TelephonyTelemetry.QueueWait.Record(Math.Max(0, (time.GetUtcNow() - record.DateCreated).TotalSeconds));

        var runner = new OutboundCallRunner(record, authToken, dialer, status, interpreter, audio, time, loggers.CreateLogger<OutboundCallRunner>(), bridge, recorder, clients);
        active.Add(runner);
        _ = RunAsync(runner, span, stopping);
        return runner.Placed;
    }

    private async Task RunAsync(OutboundCallRunner runner, Activity? span, CancellationToken stopping)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = runner.CallSid, ["AccountSid"] = runner.AccountSid });
        TelephonyTelemetry.NodeActiveCalls.Add(1);
        try
        {
            var final = await runner.RunAsync(stopping);
            span?.SetTag("telephony.call_status", final is null ? "gone" : CallStatuses.ToWire(final.Status));
            _logger.LogInformation("Call {CallSid} finished: {Status}", runner.CallSid, final is null ? "gone" : CallStatuses.ToWire(final.Status));
        }
#pragma warning disable CA1031 // One failing call must never take the node down; it is logged and marked failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "Call {CallSid} failed on the node", runner.CallSid);
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            await MarkFailedAsync(runner);
        }
        finally
        {
            TelephonyTelemetry.NodeActiveCalls.Add(-1);
            span?.Dispose();
            active.Remove(runner.CallSid);
            Unindex(runner.CallSid);
            Release(runner.AccountSid);
            runner.Dispose();
        }
    }

    /// <summary>
    /// The claim found the call taken or over. A dispatch message that reappeared for a call this node runs is
    /// ignored; a call claimed under this node's id that nobody here runs (the claim's answer was lost in a storage
    /// outage, or a dead predecessor with the same id claimed it) fails now rather than staying "initiated".
    /// </summary>
    private async Task OnNotClaimedAsync(CallRequestMessage request)
    {
        if (active.Find(request.CallSid) is not null)
        {
            _logger.LogInformation("Call {CallSid}: its dispatch message came back while it runs here; ignored", request.CallSid);
            return;
        }

        var current = await status.GetAsync(request.AccountSid, request.CallSid, CancellationToken.None);
        if (current is { Status: CallStatus.Queued } && string.Equals(current.NodeId, node.Id, StringComparison.Ordinal))
        {
            _logger.LogWarning("Call {CallSid} was claimed by node {NodeId} but runs nowhere; it fails", request.CallSid, node.Id);
            await status.MoveAsync(request.AccountSid, request.CallSid, CallStatus.Failed, CancellationToken.None);
        }
        else
        {
            _logger.LogInformation("Call {CallSid} is not queued for a node any more; skipped", request.CallSid);

            // Another node (or the API) writes this call from now on: keep no copy of it here.
            status.ChangedElsewhere(request.CallSid);
        }

        Unindex(request.CallSid);
    }

    /// <summary>
    /// The call is final (or was never ours): its index row goes with the index's next transaction. A row left behind
    /// (the node stops first, or storage refuses) is harmless: the reaper skips final calls.
    /// </summary>
    private void Unindex(string callSid) => index.RemoveSoon(node.Id, callSid);

    /// <summary>Gives back the node slot and the tenant slot (its storage write runs on; a failure is retried by the heartbeat).</summary>
    public void Release(string accountSid)
    {
        active.Release();
        _ = tenantCalls.ReturnAsync(accountSid);
    }

    private async Task MarkFailedAsync(OutboundCallRunner runner)
    {
        try
        {
            var current = await status.GetAsync(runner.AccountSid, runner.CallSid, CancellationToken.None);
            if (current is not null && !CallStatuses.IsFinal(current.Status))
            {
                await status.MoveAsync(runner.AccountSid, runner.CallSid,
                    current.Status == CallStatus.InProgress ? CallStatus.Completed : CallStatus.Failed, CancellationToken.None);
            }
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            _logger.LogError(e, "Call {CallSid}: could not record the failure", runner.CallSid);
        }
    }
}
