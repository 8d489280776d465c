using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Telephony.Core.Messaging;

namespace Telephony.Deployment.Tests.Packaging;

/// <summary>
/// The handler from the package, started as the Functions host starts it, answers one forwarded HTTP
/// request (the api function) and one queue invocation (admit-calls) in the custom-handler protocol.
/// </summary>
[Collection(FunctionPackageCollection.Name)]
public sealed class PackagedHandlerTests(PackagedApp package)
{
    [Fact]
    public async Task A_forwarded_api_request_creates_an_account_in_storage_and_the_tenant_can_read_it()
    {
        var handler = await package.HandlerAsync();
        var name = "Deployment test " + Guid.NewGuid().ToString("N")[..8];

        using var create = new HttpRequestMessage(HttpMethod.Post, "/2010-04-01/Accounts.json")
        {
            Content = new FormUrlEncodedContent([new("FriendlyName", name)]),
        };
        create.Headers.Authorization = PackagedHandler.Basic("admin", handler.AdminKey);
        using var created = await handler.Client.SendAsync(create);
        var createdBody = await created.Content.ReadAsStringAsync();

        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode}: {createdBody}{Environment.NewLine}{handler.Output}");
        using var account = JsonDocument.Parse(createdBody);
        var sid = account.RootElement.GetProperty("sid").GetString()!;
        var token = account.RootElement.GetProperty("auth_token").GetString()!;
        Assert.StartsWith("AC", sid, StringComparison.Ordinal);

        using var fetch = new HttpRequestMessage(HttpMethod.Get, $"/2010-04-01/Accounts/{sid}.json");
        fetch.Headers.Authorization = PackagedHandler.Basic(sid, token);
        using var fetched = await handler.Client.SendAsync(fetch);
        var fetchedBody = await fetched.Content.ReadAsStringAsync();

        Assert.True(fetched.StatusCode == HttpStatusCode.OK, $"{(int)fetched.StatusCode}: {fetchedBody}");
        using var read = JsonDocument.Parse(fetchedBody);
        Assert.Equal(name, read.RootElement.GetProperty("friendly_name").GetString());
    }

    [Fact]
    public async Task A_queue_invocation_of_admit_calls_moves_the_request_to_dispatch_and_answers_in_the_host_shape()
    {
        var handler = await package.HandlerAsync();
        var account = $"AC{Guid.NewGuid():N}";
        var callRequest = $$"""{"AccountSid":"{{account}}","CallSid":"CA{{Guid.NewGuid():N}}","To":"+15550001111"}""";

        // The body the Functions host posts for a queueTrigger: each value JSON-serialized once more.
        var invocation = $$"""
            {
              "Data": { "message": {{JsonSerializer.Serialize(JsonSerializer.Serialize(callRequest))}} },
              "Metadata": {
                "DequeueCount": "1",
                "Id": {{JsonSerializer.Serialize(JsonSerializer.Serialize(Guid.NewGuid().ToString()))}},
                "InsertionTime": "2026-11-24T10:00:00+00:00",
                "PopReceipt": "\"AgAAAAMAAAAAAAAA\"",
                "sys": { "MethodName": "admit-calls", "UtcNow": "2026-11-24T10:00:01Z", "RandGuid": "{{Guid.NewGuid()}}" }
              }
            }
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admit-calls")
        {
            Content = new StringContent(invocation, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        using var response = await handler.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}{Environment.NewLine}{handler.Output}");
        using var reply = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Object, reply.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, reply.RootElement.GetProperty("Logs").ValueKind);
        Assert.True(reply.RootElement.TryGetProperty("ReturnValue", out _));

        var dispatch = new QueueClient(package.Azurite.ConnectionString, QueueNames.DispatchFor(account), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var messages = await dispatch.PeekMessagesAsync(32);
        Assert.Contains(messages.Value, m => m.Body.ToString() == callRequest);
    }
}
