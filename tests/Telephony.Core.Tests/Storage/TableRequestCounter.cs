using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Tests;

/// <summary>
/// Counts the HTTP requests table clients send (every attempt), by kind, can hold the next transaction at the door
/// until released, so a test knows what is in flight without timing anything, and can refuse every request
/// (<see cref="Failing"/>: a storage outage for these clients only).
/// </summary>
internal sealed class TableRequestCounter : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private int _transactions;
    private int _others;
    private TaskCompletionSource? _holdNext;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>$batch</c> requests (entity group transactions) sent so far.</summary>
    public int Transactions
    {
        get
        {
            lock (_gate)
            {
                return _transactions;
            }
        }
    }

    /// <summary>Every other request (single upserts, deletes, reads, table creation).</summary>
    public int Others
    {
        get
        {
            lock (_gate)
            {
                return _others;
            }
        }
    }

    /// <summary>Every request sent so far.</summary>
    public int Requests => Transactions + Others;

    /// <summary>While true, every request is counted and then refused with a 503, as by a store that is down.</summary>
    public bool Failing { get; set; }

    /// <summary>The next transaction waits (before it is sent) until the returned source completes; <see cref="Held"/> says it arrived.</summary>
    public TaskCompletionSource HoldNextTransaction()
    {
        lock (_gate)
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holdNext = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _holdNext;
        }
    }

    /// <summary>Completes when the transaction asked to be held has reached the door.</summary>
    public Task Held
    {
        get
        {
            lock (_gate)
            {
                return _held.Task;
            }
        }
    }

    /// <summary>Storage whose table clients are counted here (and do not retry, so a failure is one request).</summary>
    public StorageClients Storage(string connectionString)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return new StorageClients(connectionString, options);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Count(message) is { } hold)
        {
            await hold;
        }

        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message)?.GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
    }

    private Task? Count(HttpMessage message)
    {
        lock (_gate)
        {
            if (Failing)
            {
                _others++;
                throw new RequestFailedException(503, $"storage unavailable ({message.Request.Method} refused by the test)");
            }

            if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                _others++;
                return null;
            }

            _transactions++;
            if (_holdNext is not { } hold)
            {
                return null;
            }

            _holdNext = null;
            _held.TrySetResult();
            return hold.Task;
        }
    }
}
