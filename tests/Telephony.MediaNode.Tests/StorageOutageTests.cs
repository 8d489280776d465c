using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// Azurite stopped and restarted (same data folder, same ports) while calls are created, dispatched and running on a
/// media node PROCESS: the API answers 503 / 20503 meanwhile, the node and the functions program keep running, and
/// once storage is back every call reaches a final status and none is lost.
/// </summary>
[Collection(SoloCollection.Name)]
public sealed class StorageOutageTests : IAsyncLifetime
{
    private const string AdminKey = "outage-tests-admin";
    private const string NodeKey = "outage-tests-node-key";
    private const string NodeId = "node-through-outage";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private AzuriteInstance? _azurite;
    private FunctionsProcess? _functions;
    private NodeProcess? _node;
    private string _account = string.Empty;

    private FarEnd FarEnd { get; } = new();

    private TenantAppServer App { get; } = new();

    private HttpClient Api { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartPersistentAsync();
        _functions = await FunctionsProcess.StartAsync(_azurite.ConnectionString, AdminKey, NodeKey);
        Api = new HttpClient { BaseAddress = new Uri(_functions.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        _account = (await PlatformFixture.CreateTenantAsync(Api, AdminKey)).Sid;
        App.Serve("/voice/short", "<Response><Pause length=\"4\"/><Hangup/></Response>");
        _node = NodeProcess.Start(
            _azurite.ConnectionString, LoopbackNodeSettings.For(NodeId, NodeKey, _functions.BaseUrl, FarEnd.Port, rtpPortMin: 47000, maxCalls: 8));
        await WaitForNodeAsync(new NodeStore(new StorageClients(_azurite.ConnectionString)));
    }

    [Fact]
    public async Task Calls_through_a_storage_restart_all_end_final_and_the_api_answers_503_while_it_is_down()
    {
        var sids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            sids.Add(await CreateCallAsync(i));
        }

        // One call answered and running; the others are somewhere between queued and in-progress.
        await WaitForStatusAsync(sids[0], "in-progress");
        await _azurite!.StopAsync();

        using (var fetch = await Api.GetAsync($"/2010-04-01/Accounts/{_account}/Calls/{sids[0]}.json"))
        {
            await AssertServiceUnavailableAsync(fetch);
        }

        using (var create = await Api.PostAsync($"/2010-04-01/Accounts/{_account}/Calls.json", CallForm(99)))
        {
            await AssertServiceUnavailableAsync(create);
        }

        Assert.False(_node!.HasExited, "the node exited while storage was down:\n" + _node.Log);
        await _azurite.RestartAsync();

        for (var i = 4; i < 7; i++)
        {
            sids.Add(await CreateCallAsync(i));
        }

        foreach (var sid in sids)
        {
            var call = await WaitForStatusAsync(sid, "completed", "failed", "busy", "no-answer", "canceled");
            Assert.True(call.GetProperty("status").GetString() == "completed", $"call {sid} ended {call.GetProperty("status")}\n{_node.Log}");
        }

        var listed = await PlatformFixture.JsonAsync(await Api.GetAsync($"/2010-04-01/Accounts/{_account}/Calls.json?PageSize=50"), 200);
        Assert.Equal(sids.Order(), listed.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("sid").GetString()!).Order());
        Assert.False(_node.HasExited, "the node exited:\n" + _node.Log);
        await WaitForEmptyIndexAsync(new NodeCallIndex(new StorageClients(_azurite.ConnectionString), TimeProvider.System, NullLogger<NodeCallIndex>.Instance));
    }

    /// <summary>A final call's index row goes with the node's next index transaction (within a second when the node is idle).</summary>
    private async Task WaitForEmptyIndexAsync(NodeCallIndex index)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        IReadOnlyList<NodeCallEntry> rows;
        while ((rows = await index.ListAsync(NodeId, deadline.Token)).Count > 0)
        {
            try
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"index rows left: {string.Join(", ", rows.Select(r => r.CallSid))}\n{_node!.Log}");
            }
        }
    }

    private static async Task AssertServiceUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(20503, json.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(503, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("https://www.twilio.com/docs/errors/20503", json.RootElement.GetProperty("more_info").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    private FormUrlEncodedContent CallForm(int n) => new(
    [
        new("To", "+155500004" + n.ToString("00", CultureInfo.InvariantCulture)), new("From", "+15557654321"), new("Url", App.Url("/voice/short")),
    ]);

    private async Task<string> CreateCallAsync(int n)
    {
        var json = await PlatformFixture.JsonAsync(await Api.PostAsync($"/2010-04-01/Accounts/{_account}/Calls.json", CallForm(n)), 201);
        return json.GetProperty("sid").GetString()!;
    }

    /// <summary>Polls through the API; a 503 while storage comes back is just another poll.</summary>
    private async Task<JsonElement> WaitForStatusAsync(string sid, params string[] statuses)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var last = "none";
        while (true)
        {
            using var response = await Api.GetAsync($"/2010-04-01/Accounts/{_account}/Calls/{sid}.json", deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var call = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token)).RootElement.Clone();
                last = call.GetProperty("status").GetString()!;
                if (statuses.Contains(last))
                {
                    return call;
                }
            }

            try
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"call {sid} still '{last}' after {Timeout}\n{_node!.Log}");
            }
        }
    }

    private async Task WaitForNodeAsync(NodeStore nodes)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (await nodes.GetAsync(NodeId, deadline.Token) is not { State: NodeState.Ready })
        {
            Assert.False(_node!.HasExited, "the node exited:\n" + _node.Log);
            await Task.Delay(100, deadline.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }

        Api?.Dispose();
        await FarEnd.DisposeAsync();
        await App.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
