using System.Diagnostics;
using System.Text;
using Telephony.Testing;
using Xunit.Abstractions;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary>The Applications resource through the real pipeline (Azurite), and through the official twilio SDK.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApplicationsApiTests(ApiFixture api, ITestOutputHelper output)
{
    [Fact]
    public async Task Applications_are_created_paged_updated_and_deleted_per_account()
    {
        var tenant = await api.CreateTenantAsync();
        var other = await api.CreateTenantAsync("other");
        var path = $"/2010-04-01/Accounts/{tenant.Sid}/Applications";
        var created = await Json(await tenant.Client.PostAsync(path + ".json", Form(("FriendlyName", "phone"), ("VoiceUrl", "https://app.example/voice"), ("VoiceMethod", "get"))), 201);
        var sid = created.GetProperty("sid").GetString()!;
        Assert.Matches("^AP[0-9a-f]{32}$", sid);
        Assert.Equal(("GET", "POST", $"{path}/{sid}.json"), (created.GetProperty("voice_method").GetString(), created.GetProperty("status_callback_method").GetString(), created.GetProperty("uri").GetString()));
        for (var i = 0; i < 2; i++)
        {
            await Json(await tenant.Client.PostAsync(path + ".json", Form(("FriendlyName", "more"))), 201);
        }

        var first = await Json(await tenant.Client.GetAsync(path + ".json?PageSize=2"), 200);
        Assert.Equal(2, first.GetProperty("applications").GetArrayLength());
        var second = await Json(await tenant.Client.GetAsync(first.GetProperty("next_page_uri").GetString()), 200);
        Assert.Equal(1, second.GetProperty("applications").GetArrayLength());
        Assert.Equal(JsonValueKindNull, second.GetProperty("next_page_uri").ValueKind);
        var named = await Json(await tenant.Client.GetAsync(path + ".json?FriendlyName=phone"), 200);
        Assert.Equal(sid, Assert.Single(named.GetProperty("applications").EnumerateArray()).GetProperty("sid").GetString());

        var cleared = await Json(await tenant.Client.PostAsync($"{path}/{sid}.json", Form(("VoiceUrl", ""), ("StatusCallback", "https://app.example/status"))), 200);
        Assert.Equal(JsonValueKindNull, cleared.GetProperty("voice_url").ValueKind);
        Assert.Equal(("phone", "https://app.example/status"), (cleared.GetProperty("friendly_name").GetString(), cleared.GetProperty("status_callback").GetString()));

        await TwilioError(await tenant.Client.PostAsync(path + ".json", Form(("VoiceUrl", "not a url"))), 400, 21205);
        await TwilioError(await tenant.Client.PostAsync(path + ".json", Form(("VoiceMethod", "PUT"))), 400, 21207);
        await TwilioError(await tenant.Client.PostAsync(path + ".json", Form(("Bogus", "1"))), 400, 20001);
        await TwilioError(await other.Client.GetAsync($"/2010-04-01/Accounts/{other.Sid}/Applications/{sid}.json"), 404, 20404);
        await TwilioError(await other.Client.GetAsync($"{path}/{sid}.json"), 401, 20003);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"{path}/{sid}.json")).StatusCode);
        await TwilioError(await tenant.Client.GetAsync($"{path}/{sid}.json"), 404, 20404);
        await TwilioError(await tenant.Client.DeleteAsync($"{path}/{sid}.json"), 404, 20404);
    }

    [Fact]
    public async Task The_twilio_node_SDK_manages_applications()
    {
        await using var app = new Hosting.FunctionsAppFactory(Settings(api.ConnectionString), kestrel: true);
        using var probe = app.CreateClient();
        var start = new ProcessStartInfo(ExternalTool.Require("node", "nodejs"))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add(RepoPaths.Combine("tests", "sdk", "applications.test.mjs"));
        start.Environment["TELEPHONY_API_BASE"] = probe.BaseAddress!.GetLeftPart(UriPartial.Authority);
        start.Environment["TELEPHONY_ADMIN_KEY"] = AdminKey;
        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        var log = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        output.WriteLine(log);
        Assert.True(node.ExitCode == 0, "node --test failed:\n" + log);
        Assert.Contains("# pass 1", log, StringComparison.Ordinal);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
