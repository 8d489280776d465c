namespace Telephony.Core.Messaging;

/// <summary>Storage queue names shared by the API, the queue-triggered functions and the media nodes.</summary>
public static class QueueNames
{
    /// <summary>Call requests from the API, consumed by admit-calls.</summary>
    public const string CallRequests = "call-requests";

    /// <summary>Admitted calls, pulled by media nodes with free slots.</summary>
    public const string Dispatch = "dispatch";

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
