using Telephony.Core.Calls;
using Telephony.Core.Ids;
using Telephony.Core.Paging;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>Accounts/{AccountSid}/Calls</c>: thin HTTP mapping over <see cref="CallService"/>.</summary>
internal static class CallEndpoints
{
    public static void MapCalls(this RouteGroupBuilder account)
    {
        var calls = account.MapGroup(string.Empty).WithTags("Calls");
        calls.MapPost("/Calls.json", CreateAsync)
            .WithName("CreateCall")
            .WithSummary("Place an outbound call.")
            .WithDescription("Form: To, From, Url or Twiml, Method, FallbackUrl, FallbackMethod, StatusCallback, StatusCallbackMethod, "
                + "StatusCallbackEvent (repeatable), Timeout (1-600, default 60), SendDigits, TimeLimit, Record, RecordingChannels, "
                + "RecordingStatusCallback, RecordingStatusCallbackMethod, RecordingStatusCallbackEvent, RecordingTrack, Trim. "
                + "Other Twilio parameters are refused with 400 naming them.")
            .FormFields(
                ["To", "From"],
                "Url", "Twiml", "Method", "FallbackUrl", "FallbackMethod", "StatusCallback", "StatusCallbackMethod", "StatusCallbackEvent",
                "Timeout", "SendDigits", "TimeLimit", "Record", "RecordingChannels", "RecordingStatusCallback",
                "RecordingStatusCallbackMethod", "RecordingStatusCallbackEvent", "RecordingTrack", "Trim")
            .Produces<CallResource>(StatusCodes.Status201Created);
        calls.MapGet("/Calls.json", ListAsync)
            .WithName("ListCalls")
            .WithSummary("List calls, newest first.")
            .WithDescription("Query: To, From, Status, ParentCallSid, BatchSid, StartTime, StartTime<, StartTime> (date or ISO 8601), PageSize (max 1000), Page, PageToken.")
            .QueryFields(["To", "From", "Status", "ParentCallSid", "BatchSid", "StartTime", "StartTime<", "StartTime>", .. OpenApiParameters.Paging]);
        calls.MapGet("/Calls/{Sid}.json", FetchAsync).WithName("FetchCall").WithSummary("Fetch a call.").Produces<CallResource>();
        calls.MapPost("/Calls/{Sid}.json", UpdateAsync)
            .WithName("UpdateCall")
            .WithSummary("Redirect (Url/Method or Twiml) or end (Status=canceled|completed) a live call.")
            .WithDescription("Form: Url, Method, Twiml, Status, FallbackUrl, FallbackMethod, StatusCallback, StatusCallbackMethod, TimeLimit. A finished call answers 400 with code 21220.")
            .FormFields([], "Url", "Method", "Twiml", "Status", "FallbackUrl", "FallbackMethod", "StatusCallback", "StatusCallbackMethod", "TimeLimit")
            .Produces<CallResource>();
        calls.MapDelete("/Calls/{Sid}.json", DeleteAsync)
            .WithName("DeleteCall").WithSummary("Delete a finished call's record.").Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string accountSid, CallService calls)
    {
        var call = await calls.CreateAsync(accountSid, await ApiParameters.FromFormAsync(context), context.RequestAborted);
        return ApiJson.Created(CallResource.Of(call));
    }

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, CallService calls)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, Sid.CallPrefix);
        var page = await calls.ListAsync(accountSid, parameters, paging, context.RequestAborted);
        return ListPage.Create(context, "calls", ApiRoutes.Calls(accountSid), paging, page, c => CallResource.Of(c));
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, CallService calls)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        return ApiJson.Ok(CallResource.Of(await calls.GetAsync(accountSid, sid, context.RequestAborted)));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string accountSid, string sid, CallService calls)
    {
        var call = await calls.UpdateAsync(accountSid, sid, await ApiParameters.FromFormAsync(context), context.RequestAborted);
        return ApiJson.Ok(CallResource.Of(call));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string accountSid, string sid, CallService calls)
    {
        await calls.DeleteAsync(accountSid, sid, context.RequestAborted);
        return Results.NoContent();
    }
}
