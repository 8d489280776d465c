using Telephony.Core.Errors;
using Telephony.Core.Presence;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>/v1/Accounts/{AccountSid}/Clients</c>: the presence of the account's client identities (tenant Basic auth).</summary>
internal static class ClientEndpoints
{
    public static void MapClients(this WebApplication app)
    {
        var clients = app.MapGroup("/v1/Accounts/{AccountSid}/Clients").RequireAccountOwner().WithTags("Clients");
        clients.MapGet(string.Empty, ListAsync).WithName("ListClients").WithSummary("Client identities with a live registration, and where they are registered.");
        clients.MapGet("/{Identity}", FetchAsync).WithName("FetchClient").WithSummary("One identity's live registrations; 404 when it is not registered.").Produces<ClientResource>();
    }

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, PresenceRegistry presence)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        var registrations = await presence.ListAsync(accountSid, context.RequestAborted);
        var clients = registrations.GroupBy(r => r.Identity, StringComparer.Ordinal)
            .Select(g => ClientResource.Of(accountSid, g.Key, g))
            .ToList();
        return ApiJson.Ok(new Dictionary<string, object>(StringComparer.Ordinal) { ["clients"] = clients, ["url"] = ClientResource.ListPath(accountSid) });
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string identity, PresenceRegistry presence)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        var registrations = await presence.LookupAsync(accountSid, identity, context.RequestAborted);
        return registrations.Count > 0
            ? ApiJson.Ok(ClientResource.Of(accountSid, identity, registrations))
            : throw new TwilioException(TwilioError.NotFound("client"));
    }
}
