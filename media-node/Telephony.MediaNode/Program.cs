// The media-node container program: SIP/RTP engine host, call runner, registrar. Composition only.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Run();
