using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Paging;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>Accounts/{AccountSid}/Keys</c>: API keys; the secret appears only in the create response.</summary>
internal static class KeyEndpoints
{
    public static void MapKeys(this RouteGroupBuilder account)
    {
        var keys = account.MapGroup(string.Empty).WithTags("Keys");
        keys.MapPost("/Keys.json", CreateAsync)
            .WithName("CreateKey").WithSummary("Create an API key. Form: FriendlyName. The response holds the secret, shown once.")
            .FormFields([], "FriendlyName")
            .Produces<KeyResource>(StatusCodes.Status201Created);
        keys.MapGet("/Keys.json", ListAsync).WithName("ListKeys").WithSummary("List API keys. Query: PageSize, Page, PageToken.").QueryFields(OpenApiParameters.Paging);
        keys.MapGet("/Keys/{Sid}.json", FetchAsync).WithName("FetchKey").WithSummary("Fetch an API key.").Produces<KeyResource>();
        keys.MapPost("/Keys/{Sid}.json", UpdateAsync).WithName("UpdateKey").WithSummary("Rename an API key. Form: FriendlyName.").FormFields([], "FriendlyName").Produces<KeyResource>();
        keys.MapDelete("/Keys/{Sid}.json", DeleteAsync).WithName("DeleteKey").WithSummary("Delete (revoke) an API key.").Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string accountSid, ApiKeyStore keys)
    {
        var parameters = await ApiParameters.FromFormAsync(context);
        var name = AccountUpdate.ParseFriendlyName(parameters);
        parameters.RejectUnread();
        var created = await keys.CreateAsync(accountSid, name ?? string.Empty, context.RequestAborted);
        return ApiJson.Created(KeyResource.Of(created.Key, created.Secret));
    }

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, ApiKeyStore keys)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, Sid.ApiKeyPrefix);
        parameters.RejectUnread();
        var page = await PageReader.ReadAsync(paging, (size, after) => keys.ListAsync(accountSid, size, after, context.RequestAborted));
        return ListPage.Create(context, "keys", ApiRoutes.Keys(accountSid), paging, page, k => KeyResource.Of(k));
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, ApiKeyStore keys)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        var key = await keys.GetAsync(accountSid, sid, context.RequestAborted) ?? throw NotFound();
        return ApiJson.Ok(KeyResource.Of(key));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string accountSid, string sid, ApiKeyStore keys)
    {
        var parameters = await ApiParameters.FromFormAsync(context);
        var name = AccountUpdate.ParseFriendlyName(parameters);
        parameters.RejectUnread();
        var key = await keys.RenameAsync(accountSid, sid, name, context.RequestAborted) ?? throw NotFound();
        return ApiJson.Ok(KeyResource.Of(key));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string accountSid, string sid, ApiKeyStore keys) =>
        await keys.DeleteAsync(accountSid, sid, context.RequestAborted) ? Results.NoContent() : throw NotFound();

    private static TwilioException NotFound() => new(TwilioError.NotFound("key"));
}
