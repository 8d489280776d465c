// The custom-handler program: the Functions host starts it (FUNCTIONS_CUSTOMHANDLER_PORT set), or it
// plays the host itself on loopback (local host mode). Composition only; logic lives in libs/.
using Telephony.Functions.Api;
using Telephony.Functions.Functions;
using Telephony.Functions.Functions.Callbacks;
using Telephony.Functions.Hosting;
using Telephony.Functions.Hosting.Protocol;
using Telephony.Functions.Nodes;
using Telephony.Hosting.Logging;
using Telephony.Hosting.Telemetry;

var builder = WebApplication.CreateBuilder(args);
await builder.AddFunctionsHostingAsync();
builder.AddTelephonyTelemetry("telephony-functions");
builder.AddFrameworkLogDefaults();
builder.Services.AddTelephonyFunctions();
builder.Services.AddTelephonyApi(builder.Configuration);
builder.Services.AddNodeApi(builder.Configuration);
builder.Services.AddCallbackDelivery(builder.Configuration);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapFunctionInvocations();
app.MapTelephonyApi();
app.MapNodeApi();
await app.RunAsync();

/// <summary>Entry point marker for WebApplicationFactory in tests.</summary>
public partial class Program;
