using Microsoft.Extensions.Logging;
using Telephony.Core.Limits;
using Telephony.Core.Storage;
using Telephony.Sip.Auth;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Dialing;

/// <summary>What to dial for one platform call.</summary>
public sealed record DialRequest(string To, string From, TimeSpan RingTimeout, string CallSid)
{
    /// <summary>Headers added to the INVITE (a client's custom parameters, a relay's signature).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>The outcome of dialling: the answered call, or how the last attempt ended.</summary>
public sealed record DialResult(SipCall? Answered, CallEnd? Failure, string RouteName)
{
    public static DialResult NoRoute { get; } = new(null, new CallEnd(404, "No route", CallEndCause.Failed, TwilioCallStatus.Failed, false), "none");
}

/// <summary>
/// Places an outbound call over the routes <see cref="TrunkRouter"/> gives, failing over to the next trunk
/// when one answers 408, 5xx or 6xx-less server errors before ringing; busy, no-answer and cancel are final.
/// Honours each trunk's channels and calls per second across the cluster (<see cref="TrunkChannels"/>, <see cref="TrunkPacing"/>).
/// </summary>
public sealed class OutboundDialer(SipUserAgent agent, TrunkRouter router, TrunkChannels channels, TrunkPacing pacing, TimeProvider time, ILogger<OutboundDialer> logger)
{
    private static readonly TimeSpan MaxCallSlotWait = TimeSpan.FromSeconds(5);

    /// <param name="onRinging">Called once when the far end rings (180/183).</param>
    public Task<DialResult> DialAsync(DialRequest request, Action onRinging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DialAsync(router.Routes(request.To), request, null, onRinging, cancellationToken);
    }

    /// <summary>Dials over the given <paramref name="routes"/> in order (a Dial leg resolved them itself).</summary>
    /// <param name="credentials">Digest credentials for a direct SIP target; trunk routes use their trunk's.</param>
    /// <param name="onEarlyMedia">Called with the attempt's call when its 18x carries SDP (again when a later one moves the media).</param>
    public async Task<DialResult> DialAsync(
        IReadOnlyList<DialRoute> routes,
        DialRequest request,
        DigestCredentials? credentials,
        Action onRinging,
        CancellationToken cancellationToken,
        Action<SipCall>? onEarlyMedia = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onRinging);
        if (routes.Count == 0)
        {
            logger.LogWarning("No route for {To} on call {CallSid}", request.To, request.CallSid);
            return DialResult.NoRoute;
        }

        var ringing = 0;
        DialResult last = DialResult.NoRoute;
        foreach (var route in routes)
        {
            if (!await TakeCapacityAsync(route, cancellationToken))
            {
                last = new DialResult(null, new CallEnd(503, $"trunk {route.Name} is full", CallEndCause.Failed, TwilioCallStatus.Failed, false), route.Name);
                continue;
            }

            var call = agent.Call(new CallRequest
            {
                Target = route.Target,
                From = CallerId(request.From),
                Timeout = request.RingTimeout,
                Credentials = route.Trunk?.Credentials ?? credentials,
                Destination = route.Flow,
                ExtraHeaders = request.Headers,
            });
            if (route.Trunk is { } trunk)
            {
                _ = call.Completion.ContinueWith(_ => channels.ReturnAsync(trunk.Name), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
            }

            var rang = false;
            call.Ringing += (_, _) =>
            {
                rang = true;
                if (Interlocked.Exchange(ref ringing, 1) == 0)
                {
                    onRinging();
                }
            };
            call.EarlyMedia += early =>
            {
                rang = true;
                if (Interlocked.Exchange(ref ringing, 1) == 0)
                {
                    onRinging();
                }

                onEarlyMedia?.Invoke(early);
            };

            // A 180 (or a 183 with SDP) that arrived before the handlers were attached still counts.
            if (call.State == CallState.Early)
            {
                rang = true;
                if (Interlocked.Exchange(ref ringing, 1) == 0)
                {
                    onRinging();
                }

                if (call.Audio is not null)
                {
                    onEarlyMedia?.Invoke(call);
                }
            }

            logger.LogInformation("Call {CallSid}: INVITE {Target} via {Route}", request.CallSid, route.Target, route.Name);
            using (cancellationToken.Register(call.Hangup))
            {
                await Task.WhenAny(call.WhenAnswered, call.Completion);
            }

            if (call.State == CallState.Answered && !call.Completion.IsCompleted)
            {
                return new DialResult(call, null, route.Name);
            }

            var end = await call.Completion;
            if (end.WasAnswered)
            {
                // Answered and already gone (BYE raced the answer): the caller sees a zero-length completed call.
                return new DialResult(call, null, route.Name);
            }

            last = new DialResult(null, end, route.Name);
            if (!rang && end.Cause == CallEndCause.Failed && IsFailoverStatus(end.SipStatus) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Call {CallSid}: {Route} answered {Status}; trying the next route", request.CallSid, route.Name, end.SipStatus);
                continue;
            }

            return last;
        }

        return last;
    }

    /// <summary>408 and server failures (5xx) move on to the next trunk; everything else is the callee's answer.</summary>
    public static bool IsFailoverStatus(int sipStatus) => sipStatus == 408 || sipStatus is >= 500 and < 600;

    private async Task<bool> TakeCapacityAsync(DialRoute route, CancellationToken cancellationToken)
    {
        if (route.Trunk is not { } trunk)
        {
            return true;
        }

        // A storage blip is ridden out like the call's own status writes; the channel count must not be guessed.
        var taken = await StorageRetry.RunAsync(
            token => channels.TryTakeAsync(trunk.Name, trunk.Options.MaxChannels, token), time, logger, "channel of trunk " + trunk.Name, cancellationToken);
        if (!taken)
        {
            logger.LogWarning("Trunk {Trunk} has no free channel in the cluster ({Max})", trunk.Name, trunk.Options.MaxChannels);
            return false;
        }

        var wait = await StorageRetry.RunAsync(
            token => pacing.TryReserveAsync(trunk.Name, trunk.Options.CallsPerSecond, MaxCallSlotWait, token), time, logger, "start slot of trunk " + trunk.Name, cancellationToken);
        if (wait is not { } delay)
        {
            logger.LogWarning("Trunk {Trunk} has no start slot within {Wait} at {Rate} calls/s", trunk.Name, MaxCallSlotWait, trunk.Options.CallsPerSecond);
            await channels.ReturnAsync(trunk.Name);
            return false;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }

        return true;
    }

    private NameAddress CallerId(string from)
    {
        var trimmed = from.Trim();
        if (trimmed.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) && SipUri.TryParse(trimmed, out var uri))
        {
            return new NameAddress(uri);
        }

        var local = agent.LocalEndPoint().Address;
        return new NameAddress(SipUri.Create(trimmed.Length == 0 ? "anonymous" : trimmed, local.Address.ToString(), local.Port));
    }
}
