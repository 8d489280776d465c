namespace Telephony.Twiml.Fetching;

/// <summary>Where the interpreter gets its next document (Url, action URLs, Redirect). The fetcher implements it.</summary>
public interface IInstructionSource
{
    Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken);
}
