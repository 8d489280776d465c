using Telephony.Core.Calls;
using Telephony.Twiml.Fetching;

namespace Telephony.Twiml.Remote;

/// <summary>A fetch's result and the call record version the endpoint wrote on top of the node's (null when none).</summary>
public sealed record VersionedFetch(FetchResult Result, HeldCallVersion? Recorded);
