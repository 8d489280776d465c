using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Telephony.Core.Diagnostics;

namespace Telephony.MediaNode.Telemetry;

/// <summary>
/// Exports the platform's traces, metrics and logs when an exporter is configured: OTLP (the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> settings) and/or Application Insights (its connection string). With neither,
/// nothing subscribes to the sources, so tracing costs nothing.
/// </summary>
public static class TelemetrySetup
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ApplicationInsightsKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ServiceName = "telephony-media-node";

    public static WebApplicationBuilder AddTelephonyTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var applicationInsights = builder.Configuration[ApplicationInsightsKey];
        var azure = !string.IsNullOrWhiteSpace(applicationInsights);
        if (!otlp && !azure)
        {
            return builder;
        }

        // Log records keep their scopes, so every line of a call carries CallSid and AccountSid.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeScopes = true;
            logging.IncludeFormattedMessage = true;
            if (azure)
            {
                logging.AddAzureMonitorLogExporter(o => o.ConnectionString = applicationInsights);
            }
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. TelephonyTelemetry.Areas]).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (azure)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = applicationInsights);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. TelephonyTelemetry.Areas]).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (azure)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = applicationInsights);
                }
            });
        if (otlp)
        {
            // Endpoint, protocol, headers and batching from the standard OTEL_* settings.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
