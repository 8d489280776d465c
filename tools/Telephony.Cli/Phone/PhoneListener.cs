using Telephony.Sip.Calls;

namespace Telephony.Cli.Phone;

/// <summary>`phone listen`: answers (or rejects) every incoming call and prints one line per event until stopped.</summary>
internal static class PhoneListener
{
    public static async Task<int> RunAsync(PhoneOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var samples = options.PlayFile is null ? null : WavPlayer.LoadSamples(options.PlayFile);
        await using var agent = PhoneAgent.Create(options);
        var recordings = 0;
        agent.IncomingCall += call => _ = HandleAsync(call);
        output.WriteLine($"LISTENING {agent.LocalEndPoint(options.Sip.Transport)}");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("STOPPED");
        }

        return 0;

        async Task HandleAsync(SipCall call)
        {
            output.WriteLine($"INVITE {call.Invite?.From?.Uri} call-id={call.CallId}");
            PhoneAgent.PrintEvents(call, output);
            if (options.RejectStatus is int status)
            {
                call.Reject(status);
                output.WriteLine($"REJECTED {status}");
                return;
            }

            // Every call gets its own player over the same samples.
            var recorder = PhoneAgent.AttachAudio(call, options, samples is null ? null : new WavPlayer(samples));
            call.Ring();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.AnswerAfterSeconds), TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                call.Hangup();
                return;
            }

            call.Answer();
            await call.Completion;
            if (recorder is not null && options.RecordFile is { } path)
            {
                var numbered = Interlocked.Increment(ref recordings) == 1 ? path : NumberedPath(path, recordings);
                recorder.Save(numbered);
                output.WriteLine($"RECORDED {numbered}");
            }
        }
    }

    private static string NumberedPath(string path, int number) =>
        Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(path)}-{number}{Path.GetExtension(path)}");
}
