using Telephony.Core.Errors;
using Telephony.Core.Numbers;
using Telephony.Core.Paging;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>Accounts/{AccountSid}/IncomingPhoneNumbers</c>: the account's numbers and where their calls go.</summary>
internal static class IncomingPhoneNumberEndpoints
{
    private static readonly string[] Settings =
        ["FriendlyName", "VoiceUrl", "VoiceMethod", "VoiceFallbackUrl", "VoiceFallbackMethod", "StatusCallback", "StatusCallbackMethod", "VoiceApplicationSid"];

    public static void MapIncomingPhoneNumbers(this RouteGroupBuilder account)
    {
        var numbers = account.MapGroup(string.Empty).WithTags("IncomingPhoneNumbers");
        numbers.MapPost("/IncomingPhoneNumbers.json", CreateAsync)
            .WithName("CreateIncomingPhoneNumber")
            .WithSummary("Take a number: a free number of the operator's inventory (any E.164 number while the inventory is empty).")
            .WithDescription("Form: PhoneNumber (E.164, required), " + string.Join(", ", Settings) + ". 21421: invalid number; 21422: not available.")
            .FormFields(["PhoneNumber"], Settings)
            .Produces<IncomingPhoneNumberResource>(StatusCodes.Status201Created);
        numbers.MapGet("/IncomingPhoneNumbers.json", ListAsync)
            .WithName("ListIncomingPhoneNumbers")
            .WithSummary("List the account's numbers. Query: PhoneNumber (partial, * = any digit), FriendlyName, PageSize, Page, PageToken.")
            .QueryFields(["PhoneNumber", "FriendlyName", .. OpenApiParameters.Paging]);
        numbers.MapGet("/IncomingPhoneNumbers/{Sid}.json", FetchAsync)
            .WithName("FetchIncomingPhoneNumber").WithSummary("Fetch a number.").Produces<IncomingPhoneNumberResource>();
        numbers.MapPost("/IncomingPhoneNumbers/{Sid}.json", UpdateAsync)
            .WithName("UpdateIncomingPhoneNumber").WithSummary("Change a number's settings; an empty URL clears it.")
            .FormFields([], Settings)
            .Produces<IncomingPhoneNumberResource>();
        numbers.MapDelete("/IncomingPhoneNumbers/{Sid}.json", DeleteAsync)
            .WithName("DeleteIncomingPhoneNumber").WithSummary("Release a number (it returns to the inventory).").Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string accountSid, PhoneNumberStore numbers)
    {
        var parameters = await ApiParameters.FromFormAsync(context);
        var phoneNumber = parameters.Single("PhoneNumber");
        var settings = PhoneNumberChange.Parse(parameters);
        parameters.RejectUnread();
        return ApiJson.Created(IncomingPhoneNumberResource.Of(await numbers.CreateAsync(accountSid, phoneNumber, settings, context.RequestAborted)));
    }

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, PhoneNumberStore numbers)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, PhoneNumberRecord.SidPrefix);
        var filter = new PhoneNumberFilter(parameters.Single("PhoneNumber"), parameters.Single("FriendlyName"));
        parameters.RejectUnread();
        var page = await PageReader.ReadAsync(paging, (size, after) => numbers.ListAsync(accountSid, filter, size, after, context.RequestAborted));
        return ListPage.Create(context, "incoming_phone_numbers", ApiRoutes.IncomingPhoneNumbers(accountSid), paging, page, n => IncomingPhoneNumberResource.Of(n));
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, PhoneNumberStore numbers)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        return ApiJson.Ok(IncomingPhoneNumberResource.Of(await numbers.GetAsync(accountSid, sid, context.RequestAborted) ?? throw NotFound()));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string accountSid, string sid, PhoneNumberStore numbers)
    {
        var parameters = await ApiParameters.FromFormAsync(context);
        var change = PhoneNumberChange.Parse(parameters);
        parameters.RejectUnread();
        return ApiJson.Ok(IncomingPhoneNumberResource.Of(await numbers.UpdateAsync(accountSid, sid, change, context.RequestAborted) ?? throw NotFound()));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string accountSid, string sid, PhoneNumberStore numbers) =>
        await numbers.DeleteAsync(accountSid, sid, context.RequestAborted) ? Results.NoContent() : throw NotFound();

    private static TwilioException NotFound() => new(TwilioError.NotFound("incoming phone number"));
}
