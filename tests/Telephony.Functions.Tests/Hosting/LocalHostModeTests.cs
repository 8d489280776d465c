using System.Diagnostics;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting;
using Telephony.Functions.Hosting.Local;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>
/// Local host mode end to end: the program reads host.json and function.json, polls real Azurite
/// queues and fires timers, invoking functions over HTTP on its own Kestrel port like the real host.
/// </summary>
public sealed class LocalHostModeTests(PrivateAzurite azurite) : IClassFixture<PrivateAzurite>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly List<IDisposable> _owned = [];

    [Fact]
    public async Task A_message_that_always_fails_is_retried_maxDequeueCount_times_then_moved_to_the_poison_queue()
    {
        var queueName = "fails-" + Guid.NewGuid().ToString("N")[..12];
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson(maxDequeueCount: 3, maxPollingInterval: "00:00:00.2"))
            .WithFunction("always-fails", TestFunctionApp.QueueFunctionJson(queueName)));
        var recorder = new InvocationRecorder();
        var factory = Own(new FunctionsAppFactory(
            LocalSettings(app),
            services => services.AddSingleton(recorder).AddQueueFunction<FailingQueueFunction>("always-fails"),
            kestrel: true));
        factory.StartServer();
        var queue = Queue(queueName);
        await queue.CreateIfNotExistsAsync();
        const string body = """{"CallSid":"CA0001","attempt":"poison"}""";

        await queue.SendMessageAsync(body);

        var attempts = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var message = await recorder.NextAsync<QueueTriggerMessage>(Timeout);
            Assert.Equal(body, message.Body);
            attempts.Add(message.DequeueCount);
        }

        Assert.Equal([1L, 2L, 3L], attempts);
        var poison = Queue(QueueNames.Poison(queueName));
        var poisoned = await Eventually.ReturnsAsync(
            async () => (await poison.PeekMessagesAsync(1)).Value.FirstOrDefault(),
            Timeout,
            "the message on the poison queue");
        Assert.Equal(body, poisoned.Body.ToString());
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
        await Assert.ThrowsAsync<TimeoutException>(() => recorder.NextAsync<QueueTriggerMessage>(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_message_that_is_not_base64_goes_to_poison_unread_while_good_messages_still_run()
    {
        var queueName = "raw-" + Guid.NewGuid().ToString("N")[..12];
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson(maxPollingInterval: "00:00:00.2"))
            .WithFunction("record", TestFunctionApp.QueueFunctionJson(queueName)));
        var recorder = new InvocationRecorder();
        var factory = Own(new FunctionsAppFactory(
            LocalSettings(app),
            services => services.AddSingleton(recorder).AddQueueFunction<RecordingQueueFunction>("record"),
            kestrel: true));
        var raw = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("{not base64!}");
        await Queue(queueName).SendMessageAsync("good");

        factory.StartServer();

        Assert.Equal("good", (await recorder.NextAsync<QueueTriggerMessage>(Timeout)).Body);
        var rawPoison = new QueueClient(azurite.ConnectionString, QueueNames.Poison(queueName), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var poisoned = await Eventually.ReturnsAsync(
            async () => await rawPoison.ExistsAsync() ? (await rawPoison.PeekMessagesAsync(1)).Value.FirstOrDefault() : null,
            Timeout,
            "the undecodable message on the poison queue");
        Assert.Equal("{not base64!}", poisoned.Body.ToString());
        await Assert.ThrowsAsync<TimeoutException>(() => recorder.NextAsync<QueueTriggerMessage>(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_message_in_flight_at_shutdown_is_released_at_once_instead_of_after_its_lease()
    {
        var queueName = "inflight-" + Guid.NewGuid().ToString("N")[..12];
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson(maxPollingInterval: "00:00:00.2"))
            .WithFunction("hang", TestFunctionApp.QueueFunctionJson(queueName)));
        var recorder = new InvocationRecorder();
        var factory = new FunctionsAppFactory(
            LocalSettings(app),
            services => services.AddSingleton(recorder).AddQueueFunction<HangingQueueFunction>("hang"),
            kestrel: true);
        var queue = Queue(queueName);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("in flight");
        try
        {
            factory.StartServer();
            await recorder.NextAsync<QueueTriggerMessage>(Timeout);
            Assert.Empty((await queue.PeekMessagesAsync(1)).Value); // leased while the function runs
        }
        finally
        {
            await factory.DisposeAsync();
        }

        var released = await Eventually.ReturnsAsync(
            async () => (await queue.PeekMessagesAsync(1)).Value.FirstOrDefault(),
            Timeout,
            "the in-flight message to be visible again");
        Assert.Equal("in flight", released.Body.ToString());
    }

    [Fact]
    public async Task A_slow_message_does_not_hold_up_the_next_batch_below_newBatchThreshold()
    {
        var queueName = "slow-" + Guid.NewGuid().ToString("N")[..12];
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson(maxPollingInterval: "00:00:00.2", batchSize: 1, newBatchThreshold: 1))
            .WithFunction("gated", TestFunctionApp.QueueFunctionJson(queueName)));
        var recorder = new InvocationRecorder();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = Own(new FunctionsAppFactory(
            LocalSettings(app),
            services => services.AddSingleton(recorder).AddSingleton(gate).AddQueueFunction<GatedQueueFunction>("gated"),
            kestrel: true));
        var queue = Queue(queueName);
        await queue.CreateIfNotExistsAsync();
        factory.StartServer();

        await queue.SendMessageAsync("slow");
        Assert.Equal("slow", (await recorder.NextAsync<QueueTriggerMessage>(Timeout)).Body);
        await queue.SendMessageAsync("fast");

        Assert.Equal("fast", (await recorder.NextAsync<QueueTriggerMessage>(Timeout)).Body);
        gate.SetResult();
        await Eventually.ReturnsAsync(
            async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? new object() : null,
            Timeout,
            "both messages to be deleted");
    }

    [Fact]
    public async Task A_successful_message_is_invoked_once_with_the_hosts_metadata_and_deleted()
    {
        var queueName = "ok-" + Guid.NewGuid().ToString("N")[..12];
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson(maxPollingInterval: "00:00:00.2"))
            .WithFunction("record", TestFunctionApp.QueueFunctionJson(queueName)));
        var recorder = new InvocationRecorder();
        var factory = Own(new FunctionsAppFactory(
            LocalSettings(app),
            services => services.AddSingleton(recorder).AddQueueFunction<RecordingQueueFunction>("record"),
            kestrel: true));
        factory.StartServer();
        var queue = Queue(queueName);
        await queue.CreateIfNotExistsAsync();
        var sent = (await queue.SendMessageAsync("""{"hello":"world"}""")).Value;

        var message = await recorder.NextAsync<QueueTriggerMessage>(Timeout);

        Assert.Equal("""{"hello":"world"}""", message.Body);
        Assert.Equal(sent.MessageId, message.Id);
        Assert.Equal(1, message.DequeueCount);
        Assert.NotNull(message.PopReceipt);
        Assert.NotNull(message.InsertionTime);
        await Eventually.ReturnsAsync(
            async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? new object() : null,
            Timeout,
            "the message to be deleted");
    }

    [Fact]
    public async Task Admit_calls_moves_call_requests_to_dispatch_using_the_repositorys_host_json_and_function_json()
    {
        var factory = Own(new FunctionsAppFactory(
            new Dictionary<string, string?>
            {
                ["Telephony:HostMode"] = "Local",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Telephony:FunctionApp:HostJson"] = RepoPaths.Combine("host.json"),
            },
            kestrel: true));
        factory.StartServer();
        var requests = Queue(QueueNames.CallRequests);
        await requests.CreateIfNotExistsAsync();
        var account = $"AC{Guid.NewGuid():N}";
        var body = $$"""{"AccountSid":"{{account}}","CallSid":"CA{{Guid.NewGuid():N}}"}""";

        await requests.SendMessageAsync(body);

        var dispatch = Queue(QueueNames.DispatchFor(account));
        var dispatched = await Eventually.ReturnsAsync(
            async () => await dispatch.ExistsAsync() ? (await dispatch.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.Body.ToString() == body) : null,
            Timeout,
            "the call request on the dispatch queue");
        Assert.Equal(body, dispatched.Body.ToString());
    }

    [Fact]
    public async Task A_timer_fires_at_each_ncrontab_occurrence_of_the_fake_clock_and_not_before()
    {
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson()).WithFunction("tick", TestFunctionApp.TimerFunctionJson("0 */5 * * * *")));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 1, 30, TimeSpan.Zero));
        var recorder = new InvocationRecorder();
        var factory = Own(new FunctionsAppFactory(
            LocalSettings(app),
            services => services.AddSingleton(recorder).AddSingleton<TimeProvider>(clock).AddTimerFunction<RecordingTimerFunction>("tick"),
            kestrel: true));
        factory.StartServer();
        var scheduler = factory.Services.GetRequiredService<LocalTriggerHost>().Timers["tick"];
        var first = new DateTimeOffset(2026, 11, 24, 10, 5, 0, TimeSpan.Zero);
        await Eventually.TrueAsync(() => scheduler.NextDue == first, Timeout, "the first occurrence to be scheduled");

        clock.SetUtcNow(first.AddSeconds(-1));
        await Assert.ThrowsAsync<TimeoutException>(() => recorder.NextAsync<TimerTriggerInfo>(TimeSpan.FromMilliseconds(300)));
        clock.SetUtcNow(first);

        var fired = await recorder.NextAsync<TimerTriggerInfo>(Timeout);
        Assert.Equal(first, fired.Next);
        Assert.Null(fired.Last);
        Assert.False(fired.IsPastDue);

        var second = first.AddMinutes(5);
        await Eventually.TrueAsync(() => scheduler.NextDue == second, Timeout, "the second occurrence to be scheduled");
        clock.SetUtcNow(second.AddSeconds(30));
        var late = await recorder.NextAsync<TimerTriggerInfo>(Timeout);
        Assert.Equal(second, late.Next);
        Assert.Equal(first, late.Last);
        Assert.True(late.IsPastDue);
    }

    [Fact]
    public async Task A_timer_with_runOnStartup_fires_at_start_and_its_schedule_can_come_from_an_app_setting()
    {
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson()).WithFunction(
            "startup-tick",
            """{ "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "t", "schedule": "%TickSchedule%", "runOnStartup": true } ] }"""));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 1, 30, TimeSpan.Zero));
        var recorder = new InvocationRecorder();
        var settings = LocalSettings(app);
        settings["TickSchedule"] = "0 0 */6 * * *";
        var factory = Own(new FunctionsAppFactory(
            settings,
            services => services.AddSingleton(recorder).AddSingleton<TimeProvider>(clock).AddTimerFunction<RecordingTimerFunction>("startup-tick"),
            kestrel: true));

        factory.StartServer();

        var atStartup = await recorder.NextAsync<TimerTriggerInfo>(Timeout);
        var twelve = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(twelve, atStartup.Next);
        var scheduler = factory.Services.GetRequiredService<LocalTriggerHost>().Timers["startup-tick"];
        await Eventually.TrueAsync(() => scheduler.NextDue == twelve, Timeout, "the 12:00 occurrence to be scheduled");
        Assert.Equal("0 0 */6 * * *", scheduler.Schedule.Expression);
    }

    [Fact]
    public async Task Without_a_storage_connection_local_mode_starts_azurite_itself_and_stops_it_on_shutdown()
    {
        var app = Own(new TestFunctionApp(TestFunctionApp.HostJson()));
        var factory = new FunctionsAppFactory(new Dictionary<string, string?>
        {
            ["Telephony:HostMode"] = "Local",
            ["Telephony:Azurite:InMemory"] = "true",
            ["Telephony:FunctionApp:HostJson"] = app.HostJsonPath,
        }, kestrel: true);
        int processId;
        try
        {
            factory.StartServer();
            var storage = factory.Services.GetRequiredService<StorageClients>();
            Assert.Contains("127.0.0.1", storage.ConnectionString, StringComparison.Ordinal);
            var queue = storage.Queue("launcher-check");
            await queue.CreateIfNotExistsAsync();
            await queue.SendMessageAsync("ping");
            Assert.Equal("ping", (await queue.ReceiveMessageAsync()).Value.Body.ToString());
            processId = factory.Services.GetRequiredService<AzuriteProcess>().ProcessId;
        }
        finally
        {
            factory.Dispose();
        }

        await Eventually.TrueAsync(() => !IsRunning(processId), Timeout, "Azurite to exit");
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    private Dictionary<string, string?> LocalSettings(TestFunctionApp app) => new()
    {
        ["Telephony:HostMode"] = "Local",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Telephony:FunctionApp:HostJson"] = app.HostJsonPath,
    };

    private QueueClient Queue(string name) =>
        new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
