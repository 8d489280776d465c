using System.Globalization;
using Telephony.Core.Accounts;
using Telephony.Core.Admission;
using Telephony.Core.Capacity;
using Telephony.Core.Dispatch;
using Telephony.Core.Errors;
using Telephony.Core.Nodes;
using Telephony.Core.Parameters;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;
using Telephony.Functions.Nodes;

namespace Telephony.Functions.Api.Endpoints;

/// <summary>
/// Operator endpoints (admin Basic auth) of issue #7: a tenant's admission limits, the media nodes, and
/// the capacity plan with its history.
/// </summary>
internal static class CapacityEndpoints
{
    private const int HistoryLength = 30;

    public static void MapCapacityAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/v1").WithTags("Operator: capacity").HandleNodeErrors().RequireOperatorOrOwner();
        admin.MapGet("/Accounts/{AccountSid}/Limits", GetLimitsAsync).WithName("FetchLimits")
            .WithSummary("A tenant's admission limits and its running calls across the cluster (outbound, inbound and Dial legs; with the few slots busy nodes reserve ahead).");
        admin.MapPost("/Accounts/{AccountSid}/Limits", SetLimitsAsync)
            .WithName("UpdateLimits").WithSummary("Set a tenant's admission limits. Form: CallsPerSecond, MaxConcurrentCalls, MaxQueuedCalls (each optional).");
        admin.MapGet("/Nodes", ListNodesAsync).WithName("ListNodes").WithSummary("Media nodes: state, load, age, heartbeat age.");
        admin.MapGet("/Capacity", GetCapacityAsync).WithName("FetchCapacity").WithSummary("The current capacity plan and the recent history.");
    }

    private static async Task<IResult> GetLimitsAsync(HttpContext context, string accountSid, AdmissionStore admission, AccountStore accounts, TenantRunningCalls running)
    {
        RequireOperator(context);
        ApiParameters.FromQuery(context).RejectUnread();
        await RequireAccountAsync(accounts, accountSid, context.RequestAborted);
        var json = LimitsJson(accountSid, await admission.GetLimitsAsync(accountSid, context.RequestAborted));
        json["running_calls"] = await running.CountAsync(accountSid, context.RequestAborted);
        return ApiJson.Ok(json);
    }

    private static async Task<IResult> SetLimitsAsync(HttpContext context, string accountSid, AdmissionStore admission, AccountStore accounts)
    {
        RequireOperator(context);
        var parameters = await ApiParameters.FromFormAsync(context);
        await RequireAccountAsync(accounts, accountSid, context.RequestAborted);
        var current = await admission.GetLimitsAsync(accountSid, context.RequestAborted);
        var limits = new TenantLimits
        {
            CallsPerSecond = Number(parameters, "CallsPerSecond") ?? current.CallsPerSecond,
            MaxConcurrentCalls = parameters.Int("MaxConcurrentCalls", 1, int.MaxValue) ?? current.MaxConcurrentCalls,
            MaxQueuedCalls = parameters.Int("MaxQueuedCalls", 0, int.MaxValue) ?? current.MaxQueuedCalls,
        };
        parameters.RejectUnread();
        await admission.SetLimitsAsync(accountSid, limits.Validated(), context.RequestAborted);
        return ApiJson.Ok(LimitsJson(accountSid, limits));
    }

    private static async Task<IResult> ListNodesAsync(HttpContext context, NodeStore nodes, TimeProvider time)
    {
        RequireOperator(context);
        ApiParameters.FromQuery(context).RejectUnread();
        var now = time.GetUtcNow();
        var list = await nodes.ListAsync(context.RequestAborted);
        return ApiJson.Ok(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["nodes"] = list.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = n.Id,
                ["address"] = n.Address,
                ["state"] = n.State.ToString().ToLowerInvariant(),
                ["capacity"] = n.Capacity,
                ["active_calls"] = n.ActiveCalls,
                ["reserve"] = n.Reserve,
                ["reserve_requested"] = n.ReserveRequested,
                ["started_at"] = n.StartedAt,
                ["last_heartbeat"] = n.LastHeartbeat,
                ["age_seconds"] = (long)(now - n.StartedAt).TotalSeconds,
                ["heartbeat_age_seconds"] = (long)(now - n.LastHeartbeat).TotalSeconds,
            }).ToList(),
        });
    }

    private static async Task<IResult> GetCapacityAsync(HttpContext context, CapacityPlanStore plans)
    {
        RequireOperator(context);
        ApiParameters.FromQuery(context).RejectUnread();
        var history = await plans.RecentAsync(HistoryLength, context.RequestAborted);
        return ApiJson.Ok(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["plan"] = history.Count > 0 ? PlanJson(history[0]) : null,
            ["history"] = history.Select(PlanJson).ToList(),
        });
    }

    private static Dictionary<string, object?> LimitsJson(string accountSid, TenantLimits limits) => new(StringComparer.Ordinal)
    {
        ["account_sid"] = accountSid,
        ["calls_per_second"] = limits.CallsPerSecond,
        ["max_concurrent_calls"] = limits.MaxConcurrentCalls,
        ["max_queued_calls"] = limits.MaxQueuedCalls,
    };

    private static Dictionary<string, object?> PlanJson(CapacityPlan plan) => new(StringComparer.Ordinal)
    {
        ["computed_at"] = plan.ComputedAt,
        ["desired_nodes"] = plan.DesiredNodes,
        ["active_nodes"] = plan.ActiveNodes > 0 ? plan.ActiveNodes : plan.DesiredNodes,
        ["target_nodes"] = plan.TargetNodes,
        ["live_nodes"] = plan.LiveNodes,
        ["active_calls"] = plan.ActiveCalls,
        ["waiting_calls"] = plan.Waiting,
        ["paced_backlog"] = plan.BacklogTotal,
        ["release_rate"] = plan.ReleaseRate,
        ["required_slots"] = plan.RequiredSlots,
        ["forecast_slots"] = plan.ForecastSlots,
        ["draining_calls"] = plan.DrainingCalls,
        ["mean_call_seconds"] = plan.MeanDurationSeconds,
        ["reason"] = plan.Reason,
    };

    private static double? Number(RequestParameters parameters, string name)
    {
        if (parameters.Single(name) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, $"{name} must be a number.");
    }

    private static async Task RequireAccountAsync(AccountStore accounts, string accountSid, CancellationToken cancellationToken)
    {
        if (await accounts.GetAsync(accountSid, cancellationToken) is null)
        {
            throw new TwilioException(TwilioError.NotFound("/v1/Accounts/" + ParameterRules.Truncate(accountSid) + "/Limits"));
        }
    }

    private static void RequireOperator(HttpContext context)
    {
        if (!ApiAuthenticator.Caller(context).IsOperator)
        {
            throw new TwilioException(TwilioError.Forbidden("Only the platform operator manages capacity and limits."));
        }
    }
}
