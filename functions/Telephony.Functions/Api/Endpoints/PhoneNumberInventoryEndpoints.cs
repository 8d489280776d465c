using Telephony.Core.Errors;
using Telephony.Core.Numbers;
using Telephony.Core.Parameters;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;
using Telephony.Functions.Nodes;

namespace Telephony.Functions.Api.Endpoints;

/// <summary>
/// <c>/v1/PhoneNumbers</c> (operator only, <c>admin</c> Basic auth): the numbers tenants may take, each
/// listed with the account that holds it. Paging: <c>PageSize</c> and <c>PageToken</c> (the last number of the previous page).
/// </summary>
internal static class PhoneNumberInventoryEndpoints
{
    public const string Path = "/v1/PhoneNumbers";

    public static void MapPhoneNumberInventory(this WebApplication app)
    {
        var inventory = app.MapGroup(Path).WithTags("Operator: phone number inventory").HandleNodeErrors().RequireOperatorOrOwner();
        inventory.MapPost(string.Empty, AddAsync)
            .WithName("AddInventoryNumber").WithSummary("Add a number to the inventory (idempotent). Form: PhoneNumber (E.164).")
            .FormFields(["PhoneNumber"])
            .Produces<InventoryNumberResource>(StatusCodes.Status201Created);
        inventory.MapGet(string.Empty, ListAsync)
            .WithName("ListInventoryNumbers").WithSummary("List inventory numbers in order with their holders. Query: PageSize, PageToken.")
            .QueryFields("PageSize", "PageToken");
        inventory.MapDelete("/{PhoneNumber}", RemoveAsync)
            .WithName("RemoveInventoryNumber").WithSummary("Remove a free number from the inventory.").Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> AddAsync(HttpContext context, NumberInventory inventory)
    {
        RequireOperator(context);
        var parameters = await ApiParameters.FromFormAsync(context);
        var number = parameters.Single("PhoneNumber");
        parameters.RejectUnread();
        return ApiJson.Created(InventoryNumberResource.Of(await inventory.AddAsync(number, context.RequestAborted)));
    }

    private static async Task<IResult> ListAsync(HttpContext context, NumberInventory inventory)
    {
        RequireOperator(context);
        var parameters = ApiParameters.FromQuery(context);
        var size = parameters.Int("PageSize", 1, Core.Paging.PagingRequest.MaxPageSize) ?? Core.Paging.PagingRequest.DefaultPageSize;
        var token = parameters.Single("PageToken");
        parameters.RejectUnread();
        if (token is not null && !E164.IsValid(token))
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "PageToken is not valid; use next_page_uri.");
        }

        var page = await inventory.ListAsync(size, token, context.RequestAborted);
        return ApiJson.Ok(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["phone_numbers"] = page.Items.Select(InventoryNumberResource.Of).ToList(),
            ["page_size"] = size,
            ["next_page_uri"] = page.NextToken is null
                ? null
                : FormattableString.Invariant($"{Path}?PageSize={size}&PageToken={Uri.EscapeDataString(page.NextToken)}"),
        });
    }

    private static async Task<IResult> RemoveAsync(HttpContext context, string phoneNumber, NumberInventory inventory)
    {
        RequireOperator(context);
        return await inventory.RemoveAsync(phoneNumber, context.RequestAborted)
            ? Results.NoContent()
            : throw new TwilioException(TwilioError.NotFound(Path + "/" + ParameterRules.Truncate(phoneNumber)));
    }

    private static void RequireOperator(HttpContext context)
    {
        if (!ApiAuthenticator.Caller(context).IsOperator)
        {
            throw new TwilioException(TwilioError.Forbidden("Only the platform operator manages the phone number inventory."));
        }
    }
}
