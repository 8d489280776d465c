using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Telephony.Core.Diagnostics;

namespace Telephony.Hosting.Telemetry;

/// <summary>
/// Exports the platform's traces, metrics and logs when an exporter is configured: OTLP (the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> settings) and/or Application Insights (its connection string). With neither,
/// nothing subscribes to the sources, so tracing costs nothing.
/// </summary>
public static class TelemetrySetup
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ApplicationInsightsKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>Authorization=AAD</c> when the component refuses local auth: export with a managed identity.</summary>
    public const string ApplicationInsightsAuthenticationKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <param name="serviceName">The OpenTelemetry <c>service.name</c> of this program, e.g. <c>telephony-functions</c>.</param>
    public static IHostApplicationBuilder AddTelephonyTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var applicationInsights = builder.Configuration[ApplicationInsightsKey];
        var azure = !string.IsNullOrWhiteSpace(applicationInsights);
        var credential = AzureCredential(builder.Configuration[ApplicationInsightsAuthenticationKey]);
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
                logging.AddAzureMonitorLogExporter(o => (o.ConnectionString, o.Credential) = (applicationInsights, credential));
            }
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. TelephonyTelemetry.Areas]).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (azure)
                {
                    tracing.AddAzureMonitorTraceExporter(o => (o.ConnectionString, o.Credential) = (applicationInsights, credential));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. TelephonyTelemetry.Areas]).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (azure)
                {
                    metrics.AddAzureMonitorMetricExporter(o => (o.ConnectionString, o.Credential) = (applicationInsights, credential));
                }
            });
        if (otlp)
        {
            // Endpoint, protocol, headers and batching from the standard OTEL_* settings.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The identity for <c>Authorization=AAD</c> (<c>;ClientId=…</c> picks a user-assigned one); null for key-based ingestion.</summary>
    private static ManagedIdentityCredential? AzureCredential(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication) || !authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var clientId = authentication.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => p.StartsWith("ClientId=", StringComparison.OrdinalIgnoreCase))?["ClientId=".Length..];
        return new ManagedIdentityCredential(clientId is { Length: > 0 }
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned);
    }
}
