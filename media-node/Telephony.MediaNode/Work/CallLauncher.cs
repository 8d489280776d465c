using Microsoft.Extensions.Logging;
using Telephony.Core.Accounts;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Dialing;
using Telephony.MediaNode.Prompts;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Work;

/// <summary>Turns a dispatched call request into a running call on this node (claim, account, runner, slot).</summary>
public sealed class CallLauncher(
    NodeIdentity node,
    ActiveCalls active,
    CallStatusWriter status,
    AccountStore accounts,
    OutboundDialer dialer,
    CallInterpreter interpreter,
    IPromptAudio audio,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<CallLauncher>();

    /// <summary>
    /// Claims and starts the call in a slot the caller already reserved. Returns the running call's
    /// "placed" task (the dispatch message may be deleted when it completes), or null when there is
    /// nothing to run (already claimed, canceled, or unknown) and the slot was given back.
    /// </summary>
    public async Task<Task?> StartAsync(CallRequestMessage request, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(request);
        string authToken;
        CallRecord? record;
        try
        {
            record = await status.ClaimAsync(request.AccountSid, request.CallSid, node.Id, stopping);
            if (record is null)
            {
                _logger.LogInformation("Call {CallSid} is not queued for a node any more; skipped", request.CallSid);
                active.Release();
                return null;
            }

            var account = await accounts.GetAsync(record.AccountSid, stopping);
            if (account is null || account.Status != AccountStatus.Active)
            {
                _logger.LogWarning("Call {CallSid}: account {AccountSid} is missing or not active; the call fails", record.Sid, record.AccountSid);
                await status.MoveAsync(record.AccountSid, record.Sid, CallStatus.Failed, CancellationToken.None);
                active.Release();
                return null;
            }

            authToken = account.AuthToken;
        }
        catch
        {
            active.Release();
            throw;
        }

        var runner = new OutboundCallRunner(record, authToken, dialer, status, interpreter, audio, time, loggers.CreateLogger<OutboundCallRunner>());
        active.Add(runner);
        _ = RunAsync(runner, stopping);
        return runner.Placed;
    }

    private async Task RunAsync(OutboundCallRunner runner, CancellationToken stopping)
    {
        try
        {
            var final = await runner.RunAsync(stopping);
            _logger.LogInformation("Call {CallSid} finished: {Status}", runner.CallSid, final is null ? "gone" : CallStatuses.ToWire(final.Status));
        }
#pragma warning disable CA1031 // One failing call must never take the node down; it is logged and marked failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError(e, "Call {CallSid} failed on the node", runner.CallSid);
            await MarkFailedAsync(runner);
        }
        finally
        {
            active.Remove(runner.CallSid);
            active.Release();
            runner.Dispose();
        }
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
        catch (Azure.RequestFailedException e)
        {
            _logger.LogError(e, "Call {CallSid}: could not record the failure", runner.CallSid);
        }
    }
}
