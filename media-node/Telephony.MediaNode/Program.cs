// The media-node container program: SIP/RTP engine host, call runner, registrar. Composition only.
// For now a minimal host: it reads its storage connection and answers /healthz; the engine comes later.
using Telephony.MediaNode;

var builder = WebApplication.CreateBuilder(args);
builder.AddMediaNodeHosting();
var app = builder.Build();
app.MapGet("/healthz", NodeHealth.CheckAsync);
await app.RunAsync();
