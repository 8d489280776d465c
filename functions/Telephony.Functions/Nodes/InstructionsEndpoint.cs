using System.Globalization;
using System.Text.Json;
using Telephony.Core.Accounts;
using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Remote;

namespace Telephony.Functions.Nodes;

/// <summary>
/// <c>POST /node/v1/instructions</c>: a node asks for a call's next document. The account's auth token stays
/// here: the real <see cref="InstructionFetcher"/> signs and fetches, and the fetch is recorded on the call's
/// events so a tenant can see why the call did what it did. The account comes from <see cref="CachedAccounts"/> (a
/// suspended account or a new auth token applies here within its few seconds); the call is read once, to check it
/// exists in that account before anything is fetched, and that copy is the starting point of the event's write.
/// </summary>
internal sealed partial class InstructionsEndpoint(
    CachedAccounts accounts,
    CallStore calls,
    InstructionFetcher fetcher,
    TimeProvider time,
    ILogger<InstructionsEndpoint> logger)
{
    /// <summary>The call event that records one instruction fetch (detail: reason, method, URL, outcome, latency).</summary>
    public const string FetchEventType = "instructions-fetched";

    private const int MaxDetailLength = 1000;

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

        if (await calls.GetAsync(request.AccountSid, request.CallSid, http.RequestAborted) is not { } call)
        {
            throw new TwilioException(TwilioError.NotFound($"/Accounts/{request.AccountSid}/Calls/{request.CallSid}"));
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
        await RecordAsync(call, request, result, elapsed);
        return Results.Json(result, TwimlJson.Options);
    }

    private static void Validate(NodeInstructionRequest request)
    {
        if (!InstructionReasons.IsKnown(request.Reason))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter,
                "reason must be initial, action, redirect or update"));
        }

        if (string.IsNullOrWhiteSpace(request.Url))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "url is required"));
        }
    }

    private async Task RecordAsync(CallRecord call, NodeInstructionRequest request, FetchResult result, TimeSpan elapsed)
    {
        var detail = Describe(request, result, elapsed);
        try
        {
            await calls.UpdateAsync(call, current => new CallChange(current, FetchEventType, detail), CancellationToken.None);
        }
        catch (Azure.RequestFailedException e)
        {
            // The program still goes to the node: a missing audit line must not end a live call.
            LogNotRecorded(logger, e, request.CallSid);
        }

        LogFetched(logger, request.CallSid, request.AccountSid, detail);
    }

    /// <summary>One line a tenant can read: <c>initial POST https://app/voice -> twiml (3 verbs) in 42 ms</c>.</summary>
    public static string Describe(NodeInstructionRequest request, FetchResult result, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var outcome = result switch
        {
            { Program: { } program } => $"twiml ({program.Verbs.Count} verbs)",
            { AudioUrl: { } audio } => "audio " + audio,
            { Error: { } error } => $"error {error.Code.ToString(CultureInfo.InvariantCulture)}: {error.Message}",
            _ => "nothing",
        };
        var warnings = result.Notifications.Count(n => n != result.Error);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{request.Reason} {request.Method} {result.DocumentUrl ?? request.Url} -> {outcome} in {elapsed.TotalMilliseconds:F0} ms");
        if (warnings > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; {warnings} notification(s), first {result.Notifications[0].Code}");
        }

        return text.Length <= MaxDetailLength ? text : text[..MaxDetailLength];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instructions for {CallSid} of {AccountSid}: {Detail}")]
    private static partial void LogFetched(ILogger logger, string callSid, string accountSid, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instruction fetch of {CallSid} answered but not recorded on its events")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string callSid);
}

