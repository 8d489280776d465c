using Telephony.Hosting.Logging;
using Telephony.Hosting.Telemetry;

namespace Telephony.MediaNode;

/// <summary>Builds the media node program (Program.cs runs it; tests host it in-process with their own settings).</summary>
public static class MediaNodeApp
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddMediaNodeHosting();
        builder.AddTelephonyTelemetry("telephony-media-node");
        builder.AddFrameworkLogDefaults();
        var app = builder.Build();
        app.MapGet("/healthz", NodeHealth.CheckAsync);
        return app;
    }
}
