namespace Telephony.MediaNode.Tests.Scenarios;

/// <summary>
/// Reads the operator's node list every 250 ms in the background and remembers every node id it saw and the
/// most nodes listed as ready at once, so a test can tell the cluster grew even if it shrinks again later.
/// </summary>
public sealed class NodeWatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private int _mostReady;

    public NodeWatcher(AutoscalePlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        _loop = WatchAsync(platform);
    }

    public int MostReadyAtOnce => Volatile.Read(ref _mostReady);

    public IReadOnlyCollection<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    private async Task WatchAsync(AutoscalePlatform platform)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var nodes = await platform.NodesAsync(_stop.Token);
                lock (_seen)
                {
                    _seen.UnionWith(nodes.Select(n => n.Id));
                }

                var ready = nodes.Count(n => n.State == "ready");
                if (ready > _mostReady)
                {
                    Volatile.Write(ref _mostReady, ready);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !_stop.IsCancellationRequested)
            {
                // A slow answer on a loaded machine: look again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
