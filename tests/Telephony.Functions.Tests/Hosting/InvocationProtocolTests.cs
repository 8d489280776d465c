using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Core.Messaging;
using Telephony.Functions.Hosting;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>
/// The custom-handler protocol as the real Functions host speaks it: POST /{FunctionName} with
/// {Data, Metadata}, values serialized the host's way; replies {Outputs, Logs, ReturnValue}; failures non-2xx.
/// </summary>
public sealed class InvocationProtocolTests(PrivateAzurite azurite) : IClassFixture<PrivateAzurite>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly List<IDisposable> _owned = [];

    // The shape the real host sends for a queue trigger: the message JSON-serialized once more,
    // DequeueCount as a string, Id/PopReceipt wrapped in quotes, plus a sys object.
    private static string RealHostQueueBody(string bindingName, string message, string id = "2f1d6a0e-5b4c-4b8e-9d7a-0c1e2f3a4b5c", string dequeueCount = "\"2\"") => $$"""
        {
          "Data": { "{{bindingName}}": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message))}} },
          "Metadata": {
            "DequeueCount": {{dequeueCount}},
            "ExpirationTime": "2026-12-01T10:00:00+00:00",
            "Id": {{JsonSerializer.Serialize(JsonSerializer.Serialize(id))}},
            "InsertionTime": "2026-11-24T10:00:00+00:00",
            "NextVisibleTime": "2026-11-24T10:10:00+00:00",
            "PopReceipt": "\"AgAAAAMAAAAAAAAAsvl2Kj1d3AE=\"",
            "QueueTrigger": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message))}},
            "sys": { "MethodName": "Functions.x", "UtcNow": "2026-11-24T10:00:01.1234567Z", "RandGuid": "0c1e2f3a-4b5c-4b8e-9d7a-2f1d6a0e5b4c" }
          }
        }
        """;

    [Fact]
    public async Task Admit_calls_invocation_forwards_the_message_to_dispatch_and_answers_the_host_shape()
    {
        using var client = CreateClient().CreateClient();
        var account = $"AC{Guid.NewGuid():N}";
        var callRequest = $$"""{"AccountSid":"{{account}}","CallSid":"CA{{Guid.NewGuid():N}}","To":"+15550001111"}""";

        using var response = await client.PostAsync("/admit-calls", Json(RealHostQueueBody("message", callRequest)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, reply.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, reply.RootElement.GetProperty("Logs").ValueKind);
        Assert.True(reply.RootElement.TryGetProperty("ReturnValue", out _));

        var dispatch = new QueueClient(azurite.ConnectionString, QueueNames.DispatchFor(account), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var received = await dispatch.ReceiveMessagesAsync(32);
        Assert.Contains(received.Value, m => m.Body.ToString() == callRequest);
    }

    [Fact]
    public async Task Queue_metadata_is_read_tolerantly_in_the_real_hosts_shape_and_as_plain_values()
    {
        var recorder = new InvocationRecorder();
        using var client = CreateClient(services => services.AddSingleton(recorder).AddQueueFunction<RecordingQueueFunction>("record")).CreateClient();

        using (var response = await client.PostAsync("/record", Json(RealHostQueueBody("item", """{"n":1}"""))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var hostShaped = await recorder.NextAsync<QueueTriggerMessage>(Timeout);
        Assert.Equal("""{"n":1}""", hostShaped.Body);
        Assert.Equal("2f1d6a0e-5b4c-4b8e-9d7a-0c1e2f3a4b5c", hostShaped.Id);
        Assert.Equal("AgAAAAMAAAAAAAAAsvl2Kj1d3AE=", hostShaped.PopReceipt);
        Assert.Equal(2, hostShaped.DequeueCount);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), hostShaped.InsertionTime);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), hostShaped.ExpirationTime);

        // Plain values (number, unquoted id, message as a JSON object) are accepted too.
        const string plain = """{"Data":{"item":{"n":2}},"Metadata":{"DequeueCount":3,"Id":"plain-id"}}""";
        using (var response = await client.PostAsync("/record", Json(plain)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var plainMessage = await recorder.NextAsync<QueueTriggerMessage>(Timeout);
        Assert.Equal(2, JsonDocument.Parse(plainMessage.Body).RootElement.GetProperty("n").GetInt32());
        Assert.Equal("plain-id", plainMessage.Id);
        Assert.Equal(3, plainMessage.DequeueCount);
    }

    [Fact]
    public async Task A_failing_function_answers_500_with_the_error_in_Logs_so_the_host_retries()
    {
        var recorder = new InvocationRecorder();
        using var client = CreateClient(services => services.AddSingleton(recorder).AddQueueFunction<FailingQueueFunction>("always-fails")).CreateClient();

        using var response = await client.PostAsync("/always-fails", Json(RealHostQueueBody("item", "boom")));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("always fails", reply.RootElement.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("boom", (await recorder.NextAsync<QueueTriggerMessage>(Timeout)).Body);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"Metadata":{}}""")]
    [InlineData("""{"Data":{"a":"1","b":"2"},"Metadata":{}}""")]
    public async Task Malformed_invocations_get_400_and_never_reach_the_function(string body)
    {
        var recorder = new InvocationRecorder();
        using var client = CreateClient(services => services.AddSingleton(recorder).AddQueueFunction<RecordingQueueFunction>("record")).CreateClient();

        using var response = await client.PostAsync("/record", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Assert.ThrowsAsync<TimeoutException>(() => recorder.NextAsync<QueueTriggerMessage>(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Timer_invocations_carry_schedule_status_and_past_due()
    {
        var recorder = new InvocationRecorder();
        using var client = CreateClient(services => services.AddSingleton(recorder).AddTimerFunction<RecordingTimerFunction>("tick")).CreateClient();
        const string body = """
            {
              "Data": { "myTimer": { "Schedule": { "AdjustForDST": true },
                "ScheduleStatus": { "Last": "2026-11-24T10:00:00+00:00", "Next": "2026-11-24T10:05:00+00:00", "LastUpdated": "2026-11-24T10:00:00.5+00:00" },
                "IsPastDue": true } },
              "Metadata": { "sys": { "MethodName": "Functions.tick", "UtcNow": "2026-11-24T10:05:03Z", "RandGuid": "x" } }
            }
            """;

        using var response = await client.PostAsync("/tick", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timer = await recorder.NextAsync<TimerTriggerInfo>(Timeout);
        Assert.True(timer.IsPastDue);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), timer.Last);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 5, 0, TimeSpan.Zero), timer.Next);
    }

    [Fact]
    public async Task Only_registered_function_names_accept_posts()
    {
        using var client = CreateClient().CreateClient();

        using var unknown = await client.PostAsync("/no-such-function", Json(RealHostQueueBody("message", "x")));
        using var wrongMethod = await client.GetAsync("/admit-calls");

        Assert.False(unknown.IsSuccessStatusCode);
        Assert.False(wrongMethod.IsSuccessStatusCode);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private FunctionsAppFactory CreateClient(Action<IServiceCollection>? services = null)
    {
        var factory = new FunctionsAppFactory(
            new Dictionary<string, string?>
            {
                ["Telephony:HostMode"] = "FunctionsHost",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Telephony:FunctionApp:HostJson"] = RepoPaths.Combine("host.json"),
            },
            services);
        _owned.Add(factory);
        return factory;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
