namespace Telephony.Core.Storage;

/// <summary>Azure Table names (letters and digits only, as Tables require).</summary>
public static class TableNames
{
    /// <summary>Tenant accounts: PartitionKey "account", RowKey = AC sid.</summary>
    public const string Accounts = "accounts";

    /// <summary>API keys: PartitionKey = AC sid, RowKey = SK sid.</summary>
    public const string ApiKeys = "apikeys";

    /// <summary>
    /// Call records: PartitionKey = AC sid, RowKey = time-ordered CA sid (newest first); in the same partition each
    /// call's events (RowKey <c>EV~CA…~sequence</c>) and each batch's status counters (<c>CB…~nn</c>).
    /// </summary>
    public const string Calls = "calls";

    /// <summary>Media nodes and their heartbeats: PartitionKey "node", RowKey = node id.</summary>
    public const string Nodes = "nodes";

    /// <summary>Calls a node holds, while they run: PartitionKey = node id, RowKey = CA sid (dead-node finalization).</summary>
    public const string NodeCalls = "nodecalls";

    /// <summary>TwiML applications: PartitionKey = AC sid, RowKey = AP sid.</summary>
    public const string Applications = "applications";

    /// <summary>Client presence: PartitionKey = AC sid, RowKey = identity + "|" + registration id.</summary>
    public const string Presence = "presence";

    /// <summary>Tenants' IncomingPhoneNumbers: PartitionKey = AC sid, RowKey = PN sid.</summary>
    public const string PhoneNumbers = "phonenumbers";

    /// <summary>Numbers by E.164: PartitionKey "inventory" (operator's numbers) or "claim" (held by an account), RowKey = the number.</summary>
    public const string NumberDirectory = "numberdirectory";

    /// <summary>Recordings: PartitionKey = AC sid, RowKey = time-ordered RE sid (newest first).</summary>
    public const string Recordings = "recordings";

    /// <summary>Notifications (errors and warnings about calls): PartitionKey = AC sid, RowKey = time-ordered NO sid (newest first).</summary>
    public const string Notifications = "notifications";

    /// <summary>Tenant limits and pacing: PartitionKey "limits" or "pacing", RowKey = AC sid.</summary>
    public const string Admission = "admission";

    /// <summary>Capacity plans: PartitionKey "plan", RowKey = inverted ticks (newest first).</summary>
    public const string CapacityPlans = "capacityplans";

    /// <summary>Call batches: PartitionKey = AC sid, RowKey = time-ordered CB sid (newest first).</summary>
    public const string CallBatches = "callbatches";

    /// <summary>Status-callback delivery progress: PartitionKey = CA sid, one row per call (per-call ordering).</summary>
    public const string CallbackProgress = "callbackprogress";
}
