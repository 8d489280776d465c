using Telephony.Core.Applications;
using Telephony.Core.Errors;
using Telephony.Core.Paging;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>Accounts/{AccountSid}/Applications</c>: TwiML applications, the voice URLs of clients' outgoing calls.</summary>
internal static class ApplicationEndpoints
{
    private static readonly string[] Fields =
        ["FriendlyName", "VoiceUrl", "VoiceMethod", "VoiceFallbackUrl", "VoiceFallbackMethod", "StatusCallback", "StatusCallbackMethod"];

    public static void MapApplications(this RouteGroupBuilder account)
    {
        var applications = account.MapGroup(string.Empty).WithTags("Applications");
        applications.MapPost("/Applications.json", CreateAsync)
            .WithName("CreateApplication").WithSummary("Create a TwiML application.")
            .FormFields([], Fields).Produces<ApplicationResource>(StatusCodes.Status201Created);
        applications.MapGet("/Applications.json", ListAsync)
            .WithName("ListApplications").WithSummary("List applications. Query: FriendlyName, PageSize, Page, PageToken.")
            .QueryFields([.. OpenApiParameters.Paging, "FriendlyName"]);
        applications.MapGet("/Applications/{Sid}.json", FetchAsync).WithName("FetchApplication").WithSummary("Fetch an application.").Produces<ApplicationResource>();
        applications.MapPost("/Applications/{Sid}.json", UpdateAsync)
            .WithName("UpdateApplication").WithSummary("Update an application; absent fields keep their value, an empty URL clears it.")
            .FormFields([], Fields).Produces<ApplicationResource>();
        applications.MapDelete("/Applications/{Sid}.json", DeleteAsync).WithName("DeleteApplication").WithSummary("Delete an application.").Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string accountSid, ApplicationStore applications)
    {
        var change = ApplicationChange.Parse(await ApiParameters.FromFormAsync(context));
        var created = await applications.CreateAsync(accountSid, change, context.RequestAborted);
        return ApiJson.Created(ApplicationResource.Of(created));
    }

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, ApplicationStore applications)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, ApplicationRecord.SidPrefix);
        var friendlyName = parameters.Single("FriendlyName");
        parameters.RejectUnread();
        var page = await PageReader.ReadAsync(paging, (size, after) => applications.ListAsync(accountSid, friendlyName, size, after, context.RequestAborted));
        return ListPage.Create(context, "applications", ApplicationResource.ListPath(accountSid), paging, page, a => ApplicationResource.Of(a));
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, ApplicationStore applications)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        var application = await applications.GetAsync(accountSid, sid, context.RequestAborted) ?? throw NotFound();
        return ApiJson.Ok(ApplicationResource.Of(application));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string accountSid, string sid, ApplicationStore applications)
    {
        var change = ApplicationChange.Parse(await ApiParameters.FromFormAsync(context));
        var application = await applications.UpdateAsync(accountSid, sid, change, context.RequestAborted) ?? throw NotFound();
        return ApiJson.Ok(ApplicationResource.Of(application));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string accountSid, string sid, ApplicationStore applications) =>
        await applications.DeleteAsync(accountSid, sid, context.RequestAborted) ? Results.NoContent() : throw NotFound();

    private static TwilioException NotFound() => new(TwilioError.NotFound("application"));
}
