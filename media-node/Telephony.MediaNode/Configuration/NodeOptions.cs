namespace Telephony.MediaNode.Configuration;

/// <summary>The node's settings, bound from the <c>Telephony:Node</c> configuration section.</summary>
public sealed class NodeOptions
{
    public const string Section = "Telephony:Node";

    /// <summary>The node's name in the nodes table and its control queue; a random one when unset.</summary>
    public string? Id { get; set; }

    public const string DefaultSipListen = "udp:127.0.0.1:5080";

    /// <summary>SIP listen end points such as <c>udp:127.0.0.1:5080</c> or <c>tcp:0.0.0.0:5080</c>; empty means <see cref="DefaultSipListen"/>.</summary>
    /// <remarks>Starts empty: the configuration binder appends to a list, so a default item would always stay.</remarks>
    public List<string> SipListen { get; set; } = [];

    /// <summary>The address put in Contact and SDP when listening on a wildcard (the container's public IP).</summary>
    public string? PublicAddress { get; set; }

    /// <summary>
    /// A DNS name that resolves to the public IP, used when <see cref="PublicAddress"/> is not set (Azure Container
    /// Instances: the allocator sets it to the container group's name label FQDN).
    /// </summary>
    public string? PublicHostName { get; set; }

    /// <summary>The address RTP sockets bind to.</summary>
    public string RtpAddress { get; set; } = "127.0.0.1";

    public int RtpPortMin { get; set; } = 20000;

    public int RtpPortMax { get; set; } = 29998;

    public int MaxConcurrentCalls { get; set; } = 50;

    /// <summary>
    /// Runs the RTP pacer's send loops under SCHED_FIFO at this priority (1-99), so other work on the machine cannot
    /// delay packets; needs CAP_SYS_NICE (root or the container's capability), else the loops run normally with a
    /// warning. Unset leaves scheduling alone.
    /// </summary>
    public int? PacerRealtimePriority { get; set; }

    /// <summary>Base URL of the functions app (instructions, media); unset uses in-process fetching and media.</summary>
    public string? FunctionsUrl { get; set; }

    /// <summary>
    /// Public base URL of the REST API, the start of the RecordingUrl a tenant receives
    /// (<c>{ApiUrl}/2010-04-01/Accounts/{AC}/Recordings/{RE}</c>); unset uses <see cref="FunctionsUrl"/>.
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>Folder for recordings while they are being captured (one temporary file each, deleted once stored).</summary>
    public string? RecordingTempPath { get; set; }

    /// <summary>Synthesized &lt;Say&gt; audio kept in memory (16-bit samples at 8 kHz: 4 M = 8 MB, ~8 minutes of speech); 0 turns it off.</summary>
    public long SpeechMemorySamples { get; set; } = 4_000_000;

    /// <summary>Blob container of the in-process media cache (shared by every node on the account).</summary>
    public string MediaContainer { get; set; } = Telephony.Core.Storage.ContainerNames.Media;

    /// <summary>Let tenant URLs reach loopback and private addresses (local mode and tests only).</summary>
    public bool AllowInternalAddresses { get; set; }

    /// <summary>How often the node writes its heartbeat to the nodes table.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle node looks at the dispatch queue (it looks again at once after taking work).</summary>
    public TimeSpan DispatchPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the node lists the tenants' dispatch queues (a tenant's first calls are seen within this).</summary>
    public TimeSpan DispatchQueueRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node's count of a tenant's running calls (or of a trunk's channels) stops counting toward the cluster-wide limit when
    /// not rewritten for this long (a dead node); live nodes rewrite theirs every heartbeat, so keep it well above that.
    /// </summary>
    public TimeSpan TenantCallsExpiry { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often the node reads its control queue (live redirects and hang-ups take effect within this).</summary>
    public TimeSpan ControlPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public List<TrunkOptions> Trunks { get; set; } = [];

    /// <summary>
    /// How long client-token checks share one read of the signing API key and its account: at thousands of
    /// REGISTERs per second the key is read about once per window, and a revoked key or suspended account stops
    /// within twice this. Zero reads storage on every check.
    /// </summary>
    public TimeSpan TokenIssuerFreshness { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>A SIP trunk: where E.164 numbers with one of its prefixes are sent.</summary>
public sealed class TrunkOptions
{
    public string Name { get; set; } = "trunk";

    /// <summary>The trunk's SIP URI, e.g. <c>sip:carrier.example:5060</c>; the dialled number becomes the user part.</summary>
    public string Uri { get; set; } = string.Empty;

    /// <summary>udp or tcp.</summary>
    public string Transport { get; set; } = "udp";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>E.164 prefixes (with or without '+') this trunk carries; empty carries every number.</summary>
    public List<string> Prefixes { get; set; } = [];

    public int MaxChannels { get; set; } = 100;

    public double CallsPerSecond { get; set; } = 10;
}
