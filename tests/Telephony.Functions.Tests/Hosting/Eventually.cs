namespace Telephony.Functions.Tests.Hosting;

/// <summary>Waits for a condition on an external system (a queue's content) with a deadline; fails with a message.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"timed out after {timeout} waiting for {what}");
    }

    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        await ReturnsAsync<object>(() => Task.FromResult(condition() ? new object() : null), timeout, what);
    }
}
