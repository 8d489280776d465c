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
/// suspended account or a new auth token applies here within its few seconds). A node names the version of the call
/// record it holds (<see cref="NodeInstructionRequest.Held"/>): the event is then written on top of it with no read, and
/// the answer's headers give the node the version written (<see cref="NodeCallVersion"/>), so neither side reads the
/// record for a fetch. Without it the call is read once, to check it exists in that account before anything is
/// fetched, and that copy is the starting point of the event's write.
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

        // A node that holds the record (it creates or claims every call it runs) names its version: no read here.
        var held = request.Held?.ToHeld(request.AccountSid, request.CallSid);
        var call = held is null ? await calls.GetAsync(request.AccountSid, request.CallSid, http.RequestAborted) : null;
        if (held is null && call is null)
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
        if (await RecordAsync(held, call, request, result, elapsed) is { } written)
        {
            http.Response.Headers[NodeCallVersion.ETagHeader] = written.ETag;
            http.Response.Headers[NodeCallVersion.SequenceHeader] = written.EventSequence.ToString(CultureInfo.InvariantCulture);
        }

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

    /// <summary>
    /// Records the fetch as an event: on top of the node's <paramref name="held"/> version when it names one (returns the
    /// version written, which the node keeps), else on the record read; null when written from a read or not at all.
    /// </summary>
    private async Task<HeldCallVersion?> RecordAsync(HeldCallVersion? held, CallRecord? call, NodeInstructionRequest request, FetchResult result, TimeSpan elapsed)
    {
        var detail = Describe(request, result, elapsed);
        HeldCallVersion? written = null;
        try
        {
            written = held is null ? null : await calls.TryAppendEventAsync(held, FetchEventType, detail, CancellationToken.None);
            if (written is null)
            {
                var recorded = call is null
                    ? await calls.UpdateAsync(request.AccountSid, request.CallSid, current => new CallChange(current, FetchEventType, detail), CancellationToken.None)
                    : await calls.UpdateAsync(call, current => new CallChange(current, FetchEventType, detail), CancellationToken.None);
                if (recorded is null)
                {
                    LogGone(logger, request.CallSid, request.AccountSid);
                }
            }
        }
        catch (Azure.RequestFailedException e)
        {
            // The program still goes to the node: a missing audit line must not end a live call.
            LogNotRecorded(logger, e, request.CallSid);
        }

        LogFetched(logger, request.CallSid, request.AccountSid, detail);
        return written;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instruction fetch of {CallSid} of {AccountSid} answered, but the call is not in that account: not recorded")]
    private static partial void LogGone(ILogger logger, string callSid, string accountSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instruction fetch of {CallSid} answered but not recorded on its events")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string callSid);
}

