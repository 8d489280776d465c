namespace Telephony.Functions.Hosting.Configuration;

/// <summary>
/// Loads host.json and the function.json files once, on first use. Local host mode requires them;
/// the invocation endpoints only use them to learn binding names and work without them.
/// </summary>
internal sealed class FunctionAppProvider(IConfiguration configuration, IHostEnvironment environment, ILogger<FunctionAppProvider> logger)
{
    private readonly Lazy<FunctionApp> _app = new(() => FunctionApp.Load(configuration, environment.ContentRootPath));

    public FunctionApp Get() => _app.Value;

    public FunctionApp? TryGet()
    {
        try
        {
            return _app.Value;
        }
        catch (InvalidOperationException ex)
        {
            logger.LogDebug("Function app definition unavailable: {Error}", ex.Message);
            return null;
        }
    }
}
