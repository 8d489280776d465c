namespace Telephony.Functions.Hosting;

/// <summary>What a timer invocation carries: whether it is late and the schedule's last/next occurrences.</summary>
internal sealed record TimerTriggerInfo(string FunctionName, bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next, DateTimeOffset? LastUpdated);
