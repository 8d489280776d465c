using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Notifications;
using Telephony.Core.Paging;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary>
/// <c>Accounts/{AccountSid}/Notifications</c> and <c>Calls/{CallSid}/Notifications</c>: the errors and warnings the
/// platform logged about the account's calls (e.g. 10004, an inbound call refused at the concurrency limit), newest first.
/// </summary>
internal static class NotificationEndpoints
{
    private static readonly string[] ListQuery = ["Log", "MessageDate", "MessageDate<", "MessageDate>", .. OpenApiParameters.Paging];

    public static void MapNotifications(this RouteGroupBuilder account)
    {
        var notifications = account.MapGroup(string.Empty).WithTags("Notifications");
        notifications.MapGet("/Notifications.json", ListAllAsync)
            .WithName("ListNotifications").WithSummary("List notifications, newest first. Query: Log, MessageDate, MessageDate<, MessageDate>, PageSize, Page, PageToken.")
            .QueryFields(ListQuery);
        notifications.MapGet("/Notifications/{Sid}.json", FetchAsync).WithName("FetchNotification").WithSummary("Fetch a notification.").Produces<NotificationResource>();
        notifications.MapGet("/Calls/{CallSid}/Notifications.json", ListForCallAsync)
            .WithName("ListCallNotifications").WithSummary("List a call's notifications. Query: Log, MessageDate, MessageDate<, MessageDate>, PageSize, Page, PageToken.")
            .QueryFields(ListQuery);
        notifications.MapGet("/Calls/{CallSid}/Notifications/{Sid}.json", FetchForCallAsync)
            .WithName("FetchCallNotification").WithSummary("Fetch a call's notification.").Produces<NotificationResource>();
    }

    private static Task<IResult> ListAllAsync(HttpContext context, string accountSid, NotificationStore notifications) =>
        ListAsync(context, accountSid, null, ApiRoutes.Notifications(accountSid), notifications);

    private static Task<IResult> ListForCallAsync(HttpContext context, string accountSid, string callSid, NotificationStore notifications) =>
        ListAsync(context, accountSid, callSid, ApiRoutes.CallSubresource(accountSid, callSid, "Notifications"), notifications);

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, string? callSid, string path, NotificationStore notifications)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, NotificationRecord.SidPrefix);
        var filter = NotificationFilter.Parse(parameters);
        parameters.RejectUnread();
        if (callSid is not null)
        {
            if (!Sid.IsValid(callSid, Sid.CallPrefix))
            {
                throw new TwilioException(TwilioError.NotFound("call"));
            }

            filter = filter.ForCall(callSid);
        }

        var page = await PageReader.ReadAsync(paging, (size, after) => notifications.ListAsync(accountSid, filter, size, after, context.RequestAborted));
        return ListPage.Create(context, "notifications", path, paging, page, n => NotificationResource.Of(n, instance: false));
    }

    private static Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, NotificationStore notifications) =>
        FetchForCallAsync(context, accountSid, null, sid, notifications);

    private static async Task<IResult> FetchForCallAsync(HttpContext context, string accountSid, string? callSid, string sid, NotificationStore notifications)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        var notification = await notifications.GetAsync(accountSid, sid, context.RequestAborted);
        if (notification is null || (callSid is not null && notification.CallSid != callSid))
        {
            throw new TwilioException(TwilioError.NotFound("notification"));
        }

        return ApiJson.Ok(NotificationResource.Of(notification, instance: true));
    }
}
