using System.Globalization;
using Telephony.Core.Calls;
using Telephony.Core.Dispatch;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Prompts;
using Telephony.MediaNode.Recording;
using Telephony.MediaNode.Work;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Inbound;

/// <summary>
/// Takes the node's incoming INVITEs (100 Trying is already sent by the SIP stack): a call slot first (503 with
/// Retry-After when the node is full or draining), then the called number's route (404/403/480 refusals, 503
/// when storage cannot be read), then a slot of the tenant's <c>MaxConcurrentCalls</c>, shared with its outbound
/// calls across the cluster (<see cref="TenantCallSlots"/>; none free: 486 and a "busy" record,
/// <see cref="InboundLimitRefusal"/>), then the call record, created "ringing" with this node as its owner so live
/// control reaches it, and the <see cref="InboundCallRunner"/> until the call is over. Both slots are given back
/// however the call ends; a killed node's tenant slots stop counting when its rows expire, as for outbound calls.
/// </summary>
public sealed class InboundCallListener(
    SipUserAgent agent,
    NodeIdentity node,
    ActiveCalls active,
    InboundRouter router,
    NodeCallIndex index,
    CallStatusWriter status,
    CallInterpreter interpreter,
    IPromptAudio audio,
    RecordVerbRecorder recorder,
    TimeProvider time,
    ILoggerFactory loggers,
    Bridging.DialBridge bridge,
    Presence.ClientRelay clientRelay,
    TenantCallSlots tenantSlots,
    InboundLimitRefusal overLimit) : IHostedService, IDisposable
{
    /// <summary>Seconds a refused caller is asked to wait before trying this node again.</summary>
    public const int RetryAfterSeconds = 5;

    private static readonly KeyValuePair<string, string>[] RetryAfter =
        [new("Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture))];

    private readonly ILogger _logger = loggers.CreateLogger<InboundCallListener>();
    private readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        agent.IncomingCall += OnIncoming;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        agent.IncomingCall -= OnIncoming;
        await _stopping.CancelAsync();
    }

    private void OnIncoming(SipCall call) => _ = HandleAsync(call, _stopping.Token);

    private async Task HandleAsync(SipCall call, CancellationToken stopping)
    {
        if (!active.TryReserve())
        {
            _logger.LogWarning("Incoming call {CallId} refused: node {NodeId} is {State} (503)", call.CallId, node.Id, active.IsDraining ? "draining" : "full");
            call.Reject(503, RetryAfter);
            return;
        }

        CallRecord? record = null;
        string? indexed = null;
        string? tenantSlot = null;
        try
        {
            if (Presence.ClientRelay.IsRelay(call.Invite!))
            {
                // Another node rings a client registered here; it keeps the call record, this node only bridges.
                await clientRelay.RunAsync(call, stopping);
                return;
            }

            var route = await router.RouteAsync(call.Invite!, node.Id, stopping);
            if (!route.Accepted)
            {
                call.Reject(route.RefusalStatus, route.RefusalHeaders);
                return;
            }

            if (call.Completion.IsCompleted)
            {
                _logger.LogInformation("Incoming call {CallId} to {To} was canceled before it was routed", call.CallId, route.Record!.To);
                return;
            }

            var slot = await tenantSlots.TryTakeAsync(route.Record!.AccountSid, stopping);
            tenantSlot = slot.Taken ? route.Record.AccountSid : null;

            // Indexed before it exists, so a crash at any later point leaves the call for the dead-node reaper.
            indexed = route.Record.Sid;
            await index.AddAsync(new NodeCallEntry(node.Id, indexed, route.Record.AccountSid, node.StartedAt), stopping);
            if (!slot.Taken)
            {
                await overLimit.RefuseAsync(call, route.Record, slot.Limit, stopping);
                return;
            }

            record = await status.CreateAsync(route.Record, stopping);
            _logger.LogInformation("Inbound call {CallSid} of {AccountSid} from {From} to {To} (SIP Call-ID {CallId})", record.Sid, record.AccountSid, record.From, record.To, call.CallId);
            await RunAsync(record, route.AuthToken!, route.CustomParameters, call, stopping);
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            _logger.LogError(e, "Incoming call {CallId}: storage failed", call.CallId);
            await EndAsync(call, record);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await EndAsync(call, record);
        }
#pragma warning disable CA1031 // One failing call must never take the node down; it is logged, ended and marked.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "Incoming call {CallId} failed on the node", call.CallId);
            await EndAsync(call, record);
        }
        finally
        {
            if (indexed is not null)
            {
                Unindex(indexed);
            }

            if (tenantSlot is not null)
            {
                await tenantSlots.ReturnAsync(tenantSlot);
            }

            active.Release();
        }
    }

    /// <summary>The call is over (or was never stored): its index row goes with the index's next transaction; one left behind is harmless, the reaper skips final calls.</summary>
    private void Unindex(string callSid) => index.RemoveSoon(node.Id, callSid);

    private async Task RunAsync(CallRecord record, string authToken, IReadOnlyList<KeyValuePair<string, string>> customParameters, SipCall call, CancellationToken stopping)
    {
        using var runner = new InboundCallRunner(record, authToken, call, status, interpreter, audio, time, loggers.CreateLogger<InboundCallRunner>(), bridge, recorder)
        {
            CustomParameters = customParameters,
        };
        active.Add(runner);
        try
        {
            await runner.RunAsync(stopping);
        }
        finally
        {
            active.Remove(record.Sid);
        }
    }

    /// <summary>After a failure: the caller gets 503 (or a BYE), and a stored call does not stay live.</summary>
    private async Task EndAsync(SipCall call, CallRecord? record)
    {
        if (call.State is CallState.Answered)
        {
            call.Hangup();
        }
        else
        {
            call.Reject(503, RetryAfter);
        }

        if (record is null)
        {
            return;
        }

        try
        {
            var current = await status.GetAsync(record.AccountSid, record.Sid, CancellationToken.None);
            if (current is not null && !CallStatuses.IsFinal(current.Status))
            {
                await status.MoveAsync(record.AccountSid, record.Sid,
                    current.Status == CallStatus.InProgress ? CallStatus.Completed : CallStatus.Failed, CancellationToken.None);
            }
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            _logger.LogError(e, "Inbound call {CallSid}: could not record its end", record.Sid);
        }
    }

    public void Dispose() => _stopping.Dispose();
}
