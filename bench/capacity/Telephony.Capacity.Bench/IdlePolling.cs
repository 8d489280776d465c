using System.Diagnostics.Tracing;
using System.Globalization;
using Azure.Core.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Admission;
using Telephony.Core.Dispatch;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Capacity.Bench;

/// <summary>
/// What an idle node's dispatch polling costs in storage requests as the number of tenants grows: the real
/// <see cref="DispatchPuller"/> on a private Azurite, one tenant calling every 2 s and the rest quiet, polled every
/// 500 ms for one minute of virtual time (the sweeps included). Requests are counted from the Azure SDK's own event
/// source while the puller runs (admission and the test's sends are not counted). "Every queue" is the behaviour
/// before <see cref="DispatchCandidates"/>: the same puller told before each poll that it was full, so each poll
/// looks at every tenant's queue.
/// </summary>
internal static class IdlePolling
{
    private const int Polls = 120;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(IReadOnlyList<int> tenantCounts)
    {
        await using var azurite = await AzuriteInstance.StartAsync(useShared: false);
        var storage = new StorageClients(azurite.ConnectionString);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
        var admission = new AdmissionStore(storage);
        var admitter = new CallAdmitter(admission, time, NullLogger<CallAdmitter>.Instance);
        var active = Sid.NewRandom(Sid.AccountPrefix);
        var activeQueue = storage.Queue(QueueNames.DispatchFor(active));
        await activeQueue.CreateIfNotExistsAsync();
        var tenants = 1;
        var counting = false;
        var requests = 0;
        using var listener = new AzureEventSourceListener(
            (e, _) =>
            {
                if (counting && e.EventName == "Request")
                {
                    Interlocked.Increment(ref requests);
                }
            },
            EventLevel.Informational);

        async Task<(int Requests, int Taken)> PollAsync(bool everyQueue)
        {
            var concurrency = new TenantConcurrency(storage, "bench-node-" + everyQueue, time, TimeSpan.FromSeconds(45), NullLogger<TenantConcurrency>.Instance);
            var puller = new DispatchPuller(storage, new DispatchQueues(storage, time, TimeSpan.FromSeconds(2)), admission, concurrency, time, NullLogger<DispatchPuller>.Instance);
            requests = 0;
            var taken = 0;
            for (var poll = 0; poll < Polls; poll++)
            {
                if (poll % 4 == 0)
                {
                    var callSid = "CA" + poll.ToString(CultureInfo.InvariantCulture);
                    await admitter.AdmitAsync(active, callSid);
                    await activeQueue.SendMessageAsync(MessageJson.Serialize(new CallRequestMessage { AccountSid = active, CallSid = callSid, RequestedAt = time.GetUtcNow() }));
                }

                if (everyQueue)
                {
                    await puller.PullAsync(0, 0, (_, _) => Task.FromResult(false), CancellationToken.None);
                }

                counting = true;
                taken += await puller.PullAsync(50, 5, EndAtOnceAsync, CancellationToken.None);
                counting = false;
                time.Advance(PollInterval);
            }

            return (requests, taken);

            // A taken call ends at once (message deleted, tenant slot returned), not counted: that is the call's work, not polling.
            async Task<bool> EndAtOnceAsync(DispatchedCall call, CancellationToken cancellationToken)
            {
                counting = false;
                await call.Queue.DeleteMessageAsync(call.Message.MessageId, call.Message.PopReceipt, cancellationToken);
                await concurrency.ReturnAsync(call.AccountSid);
                counting = true;
                return true;
            }
        }

        Console.WriteLine("| tenants with a dispatch queue | polling | storage requests per poll (mean over 1 min) | per minute | calls taken |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var count in tenantCounts)
        {
            for (; tenants < count; tenants++)
            {
                await storage.Queue(QueueNames.DispatchFor(Sid.NewRandom(Sid.AccountPrefix))).CreateIfNotExistsAsync();
            }

            foreach (var everyQueue in new[] { true, false })
            {
                var (requestsMade, taken) = await PollAsync(everyQueue);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {count} | {(everyQueue ? "every queue (before)" : "candidates")} | {requestsMade / (double)Polls:0.0} | {requestsMade} | {taken} |"));
            }
        }
    }
}
