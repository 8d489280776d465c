using Telephony.Twiml.Fetching;
using Telephony.Twiml.Remote;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The node's instruction source: fetches through the functions' instructions endpoint, which stores nothing, and
/// records each fetch on the call's events itself (<see cref="FetchDescription"/>) as a note that goes with the call's
/// next write (<see cref="CallStatusWriter.Note"/>): a fetch followed by an answer or a hang-up costs no write of its own.
/// </summary>
public sealed class RecordedFetches(RemoteInstructionSource remote, CallStatusWriter status) : IInstructionSource
{
    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fetched = await remote.FetchTimedAsync(request, cancellationToken);
        if (fetched.Sent is { AccountSid.Length: > 0, CallSid.Length: > 0 } sent)
        {
            status.Note(sent.AccountSid, sent.CallSid, FetchDescription.EventType, fetched.Describe());
        }

        return fetched.Result;
    }
}
