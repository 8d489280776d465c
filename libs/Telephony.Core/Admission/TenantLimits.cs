using Telephony.Core.Errors;

namespace Telephony.Core.Admission;

/// <summary>
/// The admin-set limits of one tenant: how fast its calls are released (calls per second), how many
/// of its calls may run at once, and how many may wait for a release slot before Calls.json answers 429.
/// </summary>
public sealed record TenantLimits
{
    /// <summary>Twilio's default outbound rate is one call per second per account.</summary>
    public static readonly TenantLimits Default = new() { CallsPerSecond = 1, MaxConcurrentCalls = 100, MaxQueuedCalls = 10_000 };

    /// <summary>A storage queue message can stay invisible for at most seven days; keep a day of margin.</summary>
    public static readonly TimeSpan MaxReleaseDelay = TimeSpan.FromDays(6);

    public const double MaxCallsPerSecond = 1000;

    public required double CallsPerSecond { get; init; }

    /// <summary>Enforced by the media nodes when they take dispatch work (not by admission).</summary>
    public required int MaxConcurrentCalls { get; init; }

    public required int MaxQueuedCalls { get; init; }

    /// <summary>Time between two release slots of this tenant.</summary>
    public TimeSpan SlotSpacing => TimeSpan.FromSeconds(1 / CallsPerSecond);

    /// <summary>Throws a 400 Twilio error when a limit is out of range.</summary>
    public TenantLimits Validated()
    {
        if (!double.IsFinite(CallsPerSecond) || CallsPerSecond <= 0 || CallsPerSecond > MaxCallsPerSecond)
        {
            throw Invalid($"CallsPerSecond must be above 0 and at most {MaxCallsPerSecond}.");
        }

        if (MaxConcurrentCalls < 1)
        {
            throw Invalid("MaxConcurrentCalls must be at least 1.");
        }

        if (MaxQueuedCalls < 0)
        {
            throw Invalid("MaxQueuedCalls must not be negative.");
        }

        // The last queued call's release slot must fit in a queue message's visibility delay.
        if (MaxQueuedCalls / CallsPerSecond > MaxReleaseDelay.TotalSeconds)
        {
            throw Invalid($"MaxQueuedCalls / CallsPerSecond must not exceed {MaxReleaseDelay.TotalSeconds:0} seconds of waiting.");
        }

        return this;
    }

    private static TwilioException Invalid(string message) => new(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, message));
}
