namespace Telephony.Functions.Functions.Callbacks;

/// <summary>deliver-callbacks settings, bound from <c>Telephony:Callbacks</c>.</summary>
internal sealed class CallbackDeliveryOptions
{
    public const string Section = "Telephony:Callbacks";

    /// <summary>Delivery attempts before the callback is given up and a notification recorded.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the second attempt; each further retry doubles it (1 s, 2 s, 4 s, 8 s).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a callback waiting for its predecessor looks again.</summary>
    public TimeSpan OrderRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after its event a callback waits for a predecessor that never arrives (its queue message lost,
    /// or the StatusCallback set mid-call) before it is sent anyway.
    /// </summary>
    public TimeSpan OrderWaitLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long after its event a status callback waits for that event to be committed (it is queued just before the
    /// commit) before it is dropped as never committed: generous, since a slow store may take the writer's
    /// transaction minutes to land; a writer that died first is usually settled sooner, by the next change.
    /// </summary>
    public TimeSpan CommitWaitLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time allowed for the tenant to answer one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
