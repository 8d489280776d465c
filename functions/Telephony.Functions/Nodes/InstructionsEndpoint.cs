using System.Globalization;
using System.Text.Json;
using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Remote;

namespace Telephony.Functions.Nodes;

/// <summary>
/// <c>POST /node/v1/instructions</c>: a node asks for a call's next document. The account's auth token stays
/// here: the real <see cref="InstructionFetcher"/> signs and fetches, and the answer says how long that took
/// (<see cref="FetchDescription.ElapsedHeader"/>). The account comes from <see cref="CachedAccounts"/> (a suspended
/// account or a new auth token applies here within its few seconds). Nothing is stored here: the node that runs the
/// call writes its record, and it records the fetch on the call's events with its next write
/// (<see cref="FetchDescription"/>), so a fetch costs no storage request of its own. The node is trusted with the
/// calls it names (it holds the node key); the account it names is checked, its calls are not read.
/// </summary>
internal sealed partial class InstructionsEndpoint(
    CachedAccounts accounts,
    InstructionFetcher fetcher,
    TimeProvider time,
    ILogger<InstructionsEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = await JsonSerializer.DeserializeAsync<NodeInstructionRequest>(http.Request.Body, TwimlJson.Options, http.RequestAborted)
            ?? throw new JsonException("the body is null");
        Validate(request);

        var account = await accounts.GetAsync(request.AccountSid, http.RequestAborted);
        if (account is null || account.Status != AccountStatus.Active)
        {
            throw new TwilioException(TwilioError.NotFound($"/Accounts/{request.AccountSid}"));
        }

        var started = time.GetTimestamp();
        var result = await fetcher.FetchAsync(
            new FetchRequest
            {
                Url = request.Url,
                Method = request.Method,
                BaseUrl = request.BaseUrl,
                FallbackUrl = request.FallbackUrl,
                FallbackMethod = request.FallbackMethod ?? "POST",
                AuthToken = account.AuthToken,
                Parameters = request.Parameters,
            },
            http.RequestAborted);
        var elapsed = time.GetElapsedTime(started);
        http.Response.Headers[FetchDescription.ElapsedHeader] = ((long)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        LogFetched(logger, request.CallSid, request.AccountSid, FetchDescription.Describe(request, result, elapsed));
        return Results.Json(result, TwimlJson.Options);
    }

    private static void Validate(NodeInstructionRequest request)
    {
        if (!InstructionReasons.IsKnown(request.Reason))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter,
                "reason must be initial, action, redirect or update"));
        }

        if (!Sid.IsValid(request.CallSid, Sid.CallPrefix))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "callSid must be a call sid (CA…)"));
        }

        if (string.IsNullOrWhiteSpace(request.Url))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "url is required"));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instructions for {CallSid} of {AccountSid}: {Detail}")]
    private static partial void LogFetched(ILogger logger, string callSid, string accountSid, string detail);
}
