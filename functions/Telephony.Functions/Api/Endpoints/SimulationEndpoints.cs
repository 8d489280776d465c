using System.Text.Json;
using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Functions.Api.Pipeline;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Simulation;

namespace Telephony.Functions.Api.Endpoints;

/// <summary>
/// <c>POST /v1/Accounts/{AccountSid}/Simulations</c>: runs the tenant's voice app against a scripted caller on a
/// virtual clock (the real signed fetcher and the real interpreter), so an app can be tested without a phone.
/// </summary>
internal static class SimulationEndpoints
{
    /// <summary>Scripted caller actions one simulation may carry (a tenant-controlled count).</summary>
    public const int MaxCallerActions = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapSimulations(this WebApplication app) =>
        app.MapGroup("/v1/Accounts/{AccountSid}/Simulations").RequireAccountOwner().WithTags("Simulations")
            .MapPost(string.Empty, RunAsync)
            .WithName("RunSimulation")
            .WithSummary("Runs a voice application against a scripted caller on a virtual clock; answers the call's outcome and timeline.")
            .Produces<SimulationResult>();

    private static async Task<IResult> RunAsync(HttpContext context, string accountSid, AccountStore accounts, InstructionFetcher fetcher, ILogger<CallSimulator> logger)
    {
        var spec = await ReadSpecAsync(context);
        var account = await accounts.GetAsync(accountSid, context.RequestAborted)
            ?? throw new TwilioException(TwilioError.NotFound("account"));
        var result = await new CallSimulator(fetcher).RunAsync(spec, account.Sid, account.AuthToken, context.RequestAborted);
        logger.LogInformation("Simulation for {AccountSid} of {Url}: {Status} after {Duration}s virtual, {ElapsedMs} ms", account.Sid, spec.Url, result.Status, result.Duration, result.ElapsedMilliseconds);
        return Results.Json(result, statusCode: StatusCodes.Status200OK);
    }

    private static async Task<SimulationSpec> ReadSpecAsync(HttpContext context)
    {
        SimulationSpec? spec;
        try
        {
            spec = await JsonSerializer.DeserializeAsync<SimulationSpec>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "The simulation must be a JSON object: " + e.Message));
        }

        if (spec is null)
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "The simulation must be a JSON object."));
        }

        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidUrl, "url must be an absolute http or https URL."));
        }

        if (spec.Method is not ("GET" or "POST"))
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidMethod, "method must be GET or POST."));
        }

        if (spec.Caller.Count > MaxCallerActions)
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, $"caller may have at most {MaxCallerActions} actions."));
        }

        return spec;
    }
}
