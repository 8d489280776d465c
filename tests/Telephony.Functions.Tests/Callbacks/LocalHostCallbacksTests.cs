using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.Core.Webhooks;
using Telephony.Functions.Tests.Api;
using Telephony.Functions.Tests.Hosting;
using Telephony.Functions.Tests.Nodes;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Callbacks;

/// <summary>
/// deliver-callbacks as deployed: local host mode reads the repository's host.json and functions/deliver-callbacks,
/// polls the real callbacks queue and posts to a loopback tenant (allowed because the mode is Local).
/// </summary>
public sealed class LocalHostCallbacksTests(PrivateAzurite azurite) : IClassFixture<PrivateAzurite>
{
    [Fact]
    public async Task The_local_host_polls_callbacks_and_delivers_them_signed_in_order()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        await using var functions = new FunctionsAppFactory(
            new Dictionary<string, string?>
            {
                ["Telephony:HostMode"] = "Local",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Telephony:FunctionApp:HostJson"] = RepoPaths.Combine("host.json"),
                ["Telephony:AdminKey"] = ApiFixture.AdminKey,
            },
            kestrel: true);
        functions.StartServer();
        using var admin = ApiFixture.WithBasic(functions.CreateClient(), "admin", ApiFixture.AdminKey);
        var account = await ApiFixture.Json(await admin.PostAsync("/2010-04-01/Accounts.json", ApiFixture.Form(("FriendlyName", "local"))), 201);
        var tenant = new Tenant(account.GetProperty("sid").GetString()!, account.GetProperty("auth_token").GetString()!, admin);
        using var client = ApiFixture.WithBasic(functions.CreateClient(), tenant.Sid, tenant.AuthToken);
        var callSid = await NodeApiFixture.CreateCallAsync(tenant with { Client = client }, "https://app.example/voice",
            ("StatusCallback", app.Url("/status")), ("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "completed"));
        var storage = new StorageClients(azurite.ConnectionString);
        var calls = new CallStore(storage, TimeProvider.System);

        await calls.UpdateAsync(tenant.Sid, callSid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, DateTimeOffset.UtcNow));
        await calls.UpdateAsync(tenant.Sid, callSid, c => CallTransitions.ChangeStatus(c, CallStatus.NoAnswer, DateTimeOffset.UtcNow));
        var received = await app.WaitForAsync("/status", 2, TimeSpan.FromSeconds(60));

        Assert.Equal(["ringing", "no-answer"], received.Select(r => r["CallStatus"]));
        Assert.All(received, r => Assert.True(RequestSignature.Validate(tenant.AuthToken, r.Signature, r.Url, r.Form)));
    }
}
