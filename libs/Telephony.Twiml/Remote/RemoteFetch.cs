using Telephony.Twiml.Fetching;

namespace Telephony.Twiml.Remote;

/// <summary>One fetch through the instructions endpoint: what was asked, what came back, how long it took.</summary>
public sealed record RemoteFetch(NodeInstructionRequest Sent, FetchResult Result, TimeSpan Elapsed)
{
    /// <summary>The line that records it on the call's events (<see cref="FetchDescription"/>).</summary>
    public string Describe() => FetchDescription.Describe(Sent, Result, Elapsed);
}
