namespace Telephony.Core.Messaging;

/// <summary>Storage queue names shared by the API, the queue-triggered functions and the media nodes.</summary>
public static class QueueNames
{
    /// <summary>Call requests from the API, consumed by admit-calls.</summary>
    public const string CallRequests = "call-requests";

    /// <summary>
    /// The prefix of the per-tenant dispatch queues. Admitted calls go to their tenant's own queue
    /// (<see cref="DispatchFor"/>), so media nodes can share free slots among tenants round robin
    /// instead of first come first served behind one tenant's batch. Not a public constant: these queues are
    /// created at runtime (admit-calls, on a tenant's first call), not by the deployment.
    /// </summary>
    internal const string DispatchPrefix = "dispatch-";

    /// <summary>The dispatch queue of one account: <c>dispatch-ac…</c> (queue names are lowercase).</summary>
    public static string DispatchFor(string accountSid)
    {
        if (!Ids.Sid.IsValid(accountSid, Ids.Sid.AccountPrefix))
        {
            throw new ArgumentException("Not an account sid.", nameof(accountSid));
        }

        return DispatchPrefix + accountSid.ToLowerInvariant();
    }

    /// <summary>The account sid whose dispatch queue <paramref name="queueName"/> is, or null for any other queue.</summary>
    public static string? DispatchAccount(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        if (!queueName.StartsWith(DispatchPrefix + "ac", StringComparison.Ordinal))
        {
            return null;
        }

        var sid = Ids.Sid.AccountPrefix + queueName[(DispatchPrefix.Length + 2)..];
        return Ids.Sid.IsValid(sid, Ids.Sid.AccountPrefix) ? sid : null;
    }

    /// <summary>Status, recording and action callback events, consumed by deliver-callbacks.</summary>
    public const string Callbacks = "callbacks";

    /// <summary>
    /// Live-call control for one media node (redirects and hang-ups made through the API reach the
    /// node running the call here). Queue names allow lowercase letters, digits and dashes only.
    /// </summary>
    public static string NodeControl(string nodeId) => "control-" + nodeId.ToLowerInvariant();

    /// <summary>The queue the Functions host moves a message to after maxDequeueCount failures.</summary>
    public static string Poison(string queue) => queue + "-poison";
}
