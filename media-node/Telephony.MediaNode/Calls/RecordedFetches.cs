using Telephony.Twiml.Fetching;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The node's instruction source: the functions' instructions endpoint records every fetch as an event on the call,
/// which changes the record behind the copy <see cref="CallStatusWriter"/> holds. After each fetch that copy is let
/// go, so the call's next status write reads the record once instead of failing on the ETag first.
/// </summary>
public sealed class RecordedFetches(IInstructionSource remote, CallStatusWriter status) : IInstructionSource
{
    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await remote.FetchAsync(request, cancellationToken);
        }
        finally
        {
            foreach (var (name, value) in request.Parameters)
            {
                if (name == "CallSid")
                {
                    status.ChangedElsewhere(value);
                    break;
                }
            }
        }
    }
}
