using Microsoft.Extensions.Logging;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Calls;

/// <summary>Answers a non-INVITE request with a response computed asynchronously (e.g. a REGISTER checked against storage).</summary>
public delegate ValueTask<SipResponse> AsyncRequestHandler(SipRequest request, CancellationToken cancellationToken);

/// <summary>
/// Runs an <see cref="AsyncRequestHandler"/> for a server transaction: the final response goes through the
/// transaction (so retransmissions of the request are absorbed and later answered with it), a handler failure
/// becomes 500, a full pipeline 503, and a slow answer over UDP gets 100 Trying once Timer E would have reached T2
/// (RFC 4320 §4.1 forbids it earlier; over TCP the client does not retransmit, so no 100 is needed).
/// </summary>
internal sealed class AsyncRequestResponder(SipStack stack, AsyncRequestHandler handler, int maxPending, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;

    public int Pending => Volatile.Read(ref _pending);

    public void Respond(ServerTransaction transaction)
    {
        if (Interlocked.Increment(ref _pending) > maxPending)
        {
            Interlocked.Decrement(ref _pending);
            var busy = SipResponses.Create(transaction.Request, 503);
            busy.Headers.Add(HeaderNames.RetryAfter, "5");
            transaction.Respond(busy);
            return;
        }

        ValueTask<SipResponse> answer;
        try
        {
            answer = handler(transaction.Request, _stopping.Token);
        }
        catch (Exception exception)
        {
            Finish(transaction, null, exception);
            return;
        }

        if (!answer.IsCompleted && !transaction.Remote.IsReliable)
        {
            stack.Scheduler.Schedule(stack.Timers.T2, () =>
            {
                if (transaction.LastStatus == 0)
                {
                    transaction.Respond(SipResponses.Create(transaction.Request, 100));
                }
            });
        }

        // A completed answer finishes synchronously inside this call.
        _ = FinishWhenAnsweredAsync(transaction, answer);
    }

    private async Task FinishWhenAnsweredAsync(ServerTransaction transaction, ValueTask<SipResponse> answer)
    {
        SipResponse? response = null;
        Exception? failure = null;
        try
        {
            response = await answer.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        Finish(transaction, response, failure);
    }

    private void Finish(ServerTransaction transaction, SipResponse? response, Exception? failure)
    {
        Interlocked.Decrement(ref _pending);
        if (failure is not null && !_stopping.IsCancellationRequested)
        {
            logger.LogWarning(failure, "{Method} {CallId} failed in its handler; answering 500", transaction.Request.Method, transaction.Request.CallId);
        }

        transaction.Respond(response ?? SipResponses.Create(transaction.Request, 500));
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
