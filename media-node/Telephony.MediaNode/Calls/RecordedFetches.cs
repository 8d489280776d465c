using Telephony.Twiml.Fetching;
using Telephony.Twiml.Remote;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The node's instruction source: the functions' instructions endpoint records every fetch as an event on the call,
/// which changes the record behind the copy <see cref="CallStatusWriter"/> holds. Each fetch names the version held,
/// so the endpoint writes on top of it without a read and answers the version it wrote, which the writer then holds;
/// when it could not (the record moved on, or the node held no copy) the copy is let go and the call's next status
/// write reads the record once instead of failing on the ETag first.
/// </summary>
public sealed class RecordedFetches(RemoteInstructionSource remote, CallStatusWriter status) : IInstructionSource
{
    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var callSid = CallSidOf(request);
        var held = callSid is null ? null : status.HeldVersion(callSid);
        VersionedFetch? fetched = null;
        try
        {
            fetched = await remote.FetchAsync(request, held, cancellationToken);
            return fetched.Result;
        }
        finally
        {
            if (held is not null && fetched?.Recorded is { } written)
            {
                status.WrittenOnTop(held, written);
            }
            else if (callSid is not null)
            {
                status.ChangedElsewhere(callSid);
            }
        }
    }

    private static string? CallSidOf(FetchRequest request)
    {
        foreach (var (name, value) in request.Parameters)
        {
            if (name == "CallSid")
            {
                return value;
            }
        }

        return null;
    }
}
