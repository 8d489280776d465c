// The custom-handler program: the Functions host starts it (FUNCTIONS_CUSTOMHANDLER_PORT set), or it
// plays the host itself on loopback (local host mode). Composition only; logic lives in libs/.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Run();

/// <summary>Entry point marker for WebApplicationFactory in tests.</summary>
public partial class Program;
