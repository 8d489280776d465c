using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Core.Calls;

/// <summary>The parameters of <c>POST Calls/{sid}.json</c>: redirect (Url/Twiml), hang up (Status) or change callbacks.</summary>
public sealed record CallUpdate
{
    public string? Url { get; init; }

    public string? Method { get; init; }

    public string? Twiml { get; init; }

    public CallStatus? Status { get; init; }

    public string? FallbackUrl { get; init; }

    public string? FallbackMethod { get; init; }

    public string? StatusCallback { get; init; }

    public string? StatusCallbackMethod { get; init; }

    public int? TimeLimit { get; init; }

    public static CallUpdate Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = parameters;
        CallStatus? status = p.Single("Status") switch
        {
            null => null,
            "canceled" => CallStatus.Canceled,
            "completed" => CallStatus.Completed,
            var other => throw RequestParameters.Invalid(
                TwilioErrorCodes.InvalidParameter, $"Status must be canceled or completed, not '{ParameterRules.Truncate(other)}'"),
        };
        var update = new CallUpdate
        {
            Url = ParameterRules.AbsoluteHttpUrl(p, "Url"),
            Method = p.Has("Method") ? ParameterRules.HttpMethod(p, "Method") : null,
            Twiml = CallCreateParser.ParseTwiml(p),
            Status = status,
            FallbackUrl = ParameterRules.AbsoluteHttpUrl(p, "FallbackUrl"),
            FallbackMethod = p.Has("FallbackMethod") ? ParameterRules.HttpMethod(p, "FallbackMethod") : null,
            StatusCallback = ParameterRules.AbsoluteHttpUrl(p, "StatusCallback"),
            StatusCallbackMethod = p.Has("StatusCallbackMethod") ? ParameterRules.HttpMethod(p, "StatusCallbackMethod") : null,
            TimeLimit = p.Int("TimeLimit", 1, CallCreateParser.MaxTimeLimit),
        };
        p.RejectUnread();
        return update;
    }

    /// <summary>
    /// Applies this update to <paramref name="current"/> following Twilio's rules: a finished call
    /// refuses every change (21220); <c>canceled</c> ends a queued or ringing call and leaves an
    /// answered one alone; <c>completed</c> hangs up an answered call and cancels one not yet answered.
    /// </summary>
    public CallChange? ApplyTo(CallRecord current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (CallStatuses.IsFinal(current.Status))
        {
            throw new TwilioException(TwilioError.BadRequest(
                TwilioErrorCodes.InvalidCallState, $"Call is not in-progress. Cannot modify a {CallStatuses.ToWire(current.Status)} call."));
        }

        var i = current.Instructions;
        var instructions = i with
        {
            Url = Url ?? (Twiml is not null ? null : i.Url),
            Twiml = Url is not null ? null : Twiml ?? i.Twiml,
            Method = Method ?? i.Method,
            FallbackUrl = FallbackUrl ?? i.FallbackUrl,
            FallbackMethod = FallbackMethod ?? i.FallbackMethod,
            StatusCallback = StatusCallback ?? i.StatusCallback,
            StatusCallbackMethod = StatusCallbackMethod ?? i.StatusCallbackMethod,
        };
        var updated = current with
        {
            Instructions = instructions,
            Options = current.Options with { TimeLimit = TimeLimit ?? current.Options.TimeLimit },
        };

        var target = TargetStatus(current.Status);
        if (target is { } to && CallTransitions.ChangeStatus(updated, to, now) is { } statusChange)
        {
            return statusChange;
        }

        if (updated == current)
        {
            return null;
        }

        var redirected = Url is not null || Twiml is not null;
        return new CallChange(
            updated,
            redirected ? CallEventTypes.Redirected : CallEventTypes.Updated,
            redirected ? Url ?? "twiml" : null);
    }

    private CallStatus? TargetStatus(CallStatus current) => (Status, current) switch
    {
        (CallStatus.Canceled, CallStatus.Queued or CallStatus.Ringing) => CallStatus.Canceled,
        (CallStatus.Completed, CallStatus.Queued or CallStatus.Ringing) => CallStatus.Canceled,
        (CallStatus.Completed, CallStatus.InProgress) => CallStatus.Completed,
        _ => null,
    };
}
