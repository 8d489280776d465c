using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Paging;
using Telephony.Core.Parameters;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>/2010-04-01/Accounts</c>: the operator creates and manages tenants; a tenant sees only itself.</summary>
internal static class AccountEndpoints
{
    public static void MapAccounts(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/Accounts").WithTags("Accounts").RequireOperatorOrOwner();
        var collection = api.MapGroup(string.Empty).WithTags("Accounts").RequireOperatorOrOwner();
        collection.MapPost("/Accounts.json", CreateAsync)
            .WithName("CreateAccount").WithSummary("Create a tenant account (operator only). Form: FriendlyName.")
            .FormFields([], "FriendlyName")
            .Produces<AccountResource>(StatusCodes.Status201Created);
        collection.MapGet("/Accounts.json", ListAsync)
            .WithName("ListAccounts").WithSummary("List accounts: all for the operator, the caller's own for a tenant. Query: PageSize, Page, PageToken.")
            .QueryFields(OpenApiParameters.Paging);
        accounts.MapGet("/{AccountSid}.json", FetchAsync)
            .WithName("FetchAccount").WithSummary("Fetch an account.").Produces<AccountResource>();
        accounts.MapPost("/{AccountSid}.json", UpdateAsync)
            .WithName("UpdateAccount").WithSummary("Update FriendlyName; the operator may also set Status=active|suspended|closed.")
            .FormFields([], "FriendlyName", "Status")
            .Produces<AccountResource>();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, AccountStore accounts)
    {
        if (!ApiAuthenticator.Caller(context).IsOperator)
        {
            throw new TwilioException(TwilioError.Forbidden("Only the platform operator can create accounts."));
        }

        var parameters = await ApiParameters.FromFormAsync(context);
        var name = AccountUpdate.ParseFriendlyName(parameters);
        parameters.RejectUnread();
        var account = await accounts.CreateAsync(name ?? "Tenant account", context.RequestAborted);
        return ApiJson.Created(AccountResource.Of(account));
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccountStore accounts)
    {
        var caller = ApiAuthenticator.Caller(context);
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, Core.Ids.Sid.AccountPrefix);
        parameters.RejectUnread();
        Core.Page<AccountRecord> page;
        if (caller.IsOperator)
        {
            page = await PageReader.ReadAsync(paging, (size, after) => accounts.ListAsync(size, after, context.RequestAborted));
        }
        else
        {
            var own = await accounts.GetAsync(caller.AccountSid!, context.RequestAborted);
            page = new([.. new[] { own! }.Where(a => paging.Page == 0 && paging.AfterSid is null)], null);
        }

        return ListPage.Create(context, "accounts", ApiRoutes.Accounts, paging, page, a => AccountResource.Of(a));
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, AccountStore accounts)
    {
        var parameters = ApiParameters.FromQuery(context);
        parameters.RejectUnread();
        var account = await accounts.GetAsync(accountSid, context.RequestAborted) ?? throw NotFound();
        return ApiJson.Ok(AccountResource.Of(account));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string accountSid, AccountStore accounts)
    {
        var update = AccountUpdate.Parse(await ApiParameters.FromFormAsync(context), ApiAuthenticator.Caller(context).IsOperator);
        var account = await accounts.UpdateAsync(accountSid, update.ApplyTo, context.RequestAborted) ?? throw NotFound();
        return ApiJson.Ok(AccountResource.Of(account));
    }

    private static TwilioException NotFound() => new(TwilioError.NotFound("account"));
}
