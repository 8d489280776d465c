using Microsoft.Extensions.DependencyInjection;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Functions;
using Telephony.Functions.Hosting;
using Telephony.Functions.Tests.Api;
using Telephony.Functions.Tests.Hosting;
using Telephony.Functions.Tests.Nodes;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Callbacks;

/// <summary>
/// The functions program (ApiOnly: no pollers) over a private Azurite with short retry settings, a node-side
/// CallStore to drive status changes, and a pump that feeds the real callbacks queue to deliver-callbacks.
/// </summary>
public sealed class CallbacksFixture : IAsyncLifetime, IDisposable
{
    public const int MaxAttempts = 3;

    /// <summary>
    /// Short, so a callback whose event is never committed is given up within a test; longer than a
    /// <see cref="DyingWriter"/> takes to fail (the SDK retries the closed port for a few seconds).
    /// </summary>
    public static readonly TimeSpan CommitWaitLimit = TimeSpan.FromSeconds(15);
    private readonly PrivateAzurite _azurite = new();
    private FunctionsAppFactory? _app;

    public FunctionsAppFactory App => _app ?? throw new InvalidOperationException("not started");

    public StorageClients Storage { get; private set; } = null!;

    public CallStore Calls { get; private set; } = null!;

    public CallEventStore Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Storage = new StorageClients(_azurite.ConnectionString);
        Events = new CallEventStore(Storage);
        Calls = new CallStore(Storage, TimeProvider.System);
        var settings = NodeApiFixture.Settings(_azurite.ConnectionString);
        settings["Telephony:Callbacks:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Telephony:Callbacks:FirstRetryDelay"] = "00:00:01";
        settings["Telephony:Callbacks:OrderRetryDelay"] = "00:00:01";
        settings["Telephony:Callbacks:CommitWaitLimit"] = CommitWaitLimit.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        _app = new FunctionsAppFactory(settings);
        await Storage.Queue(QueueNames.Callbacks).CreateIfNotExistsAsync();
    }

    public async Task<Tenant> CreateTenantAsync()
    {
        using var admin = ApiFixture.WithBasic(App.CreateClient(), "admin", ApiFixture.AdminKey);
        var json = await ApiFixture.Json(await admin.PostAsync("/2010-04-01/Accounts.json", ApiFixture.Form(("FriendlyName", "callbacks"))), 201);
        var sid = json.GetProperty("sid").GetString()!;
        var token = json.GetProperty("auth_token").GetString()!;
        return new Tenant(sid, token, ApiFixture.WithBasic(App.CreateClient(), sid, token));
    }

    /// <summary>
    /// Feeds every visible callbacks message to deliver-callbacks (newest first when <paramref name="newestFirst"/>, to
    /// show order does not depend on the queue) and deletes it when the function returns, as the host does, until
    /// <paramref name="done"/> holds.
    /// </summary>
    public async Task PumpUntilAsync(Func<Task<bool>> done, TimeSpan timeout, bool newestFirst = false)
    {
        var queue = Storage.Queue(QueueNames.Callbacks);
        using var deadline = new CancellationTokenSource(timeout);
        while (!await done())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"callbacks not delivered as expected within {timeout}");
            }

            var received = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60), CancellationToken.None)).Value;
            var batch = newestFirst ? received.Reverse() : received;
            foreach (var message in batch)
            {
                using var scope = App.Services.CreateScope();
                var function = scope.ServiceProvider.GetRequiredService<DeliverCallbacksFunction>();
                await function.RunAsync(
                    new QueueTriggerMessage(DeliverCallbacksFunction.Name, message.Body.ToString(), message.MessageId, message.DequeueCount,
                        message.InsertedOn, message.ExpiresOn, message.NextVisibleOn, message.PopReceipt),
                    CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }

            if (received.Length == 0)
            {
                // Nothing visible yet (a delayed retry): look again shortly.
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// A writer that dies between queuing a change's status callback and committing the change: its table endpoint is
    /// a closed port, so every change it tries queues its callback and then fails.
    /// </summary>
    public CallStore DyingWriter() => new(new StorageClients(AzuriteInstance.WithUnreachable(_azurite.ConnectionString, "Table")), TimeProvider.System);

    /// <summary>Moves a call the way a node does: claimed (initiated), then each status in turn.</summary>
    public async Task DriveAsync(string accountSid, string callSid, params CallStatus[] statuses)
    {
        await Calls.UpdateAsync(accountSid, callSid, c => new CallChange(c with { NodeId = "test-node" }, CallEventTypes.StatusChanged, "initiated"));
        foreach (var status in statuses)
        {
            await Calls.UpdateAsync(accountSid, callSid, c => CallTransitions.ChangeStatus(c, status, DateTimeOffset.UtcNow));
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    public void Dispose() => _app?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CallbacksCollection : ICollectionFixture<CallbacksFixture>
{
    public const string Name = "callbacks";
}
