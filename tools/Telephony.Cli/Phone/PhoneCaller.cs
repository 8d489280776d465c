using Telephony.Sip.Calls;
using Telephony.Sip.Messages;

namespace Telephony.Cli.Phone;

/// <summary>`phone call`: places one call, sends digits and audio, hangs up after a while; exit 0 when the call was answered.</summary>
internal static class PhoneCaller
{
    public static async Task<int> RunAsync(PhoneOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        if (!SipUri.TryParse(options.Target, out var target) || !target.IsSip)
        {
            throw new FormatException($"'{options.Target}' is not a sip: URI");
        }

        var player = options.PlayFile is null ? null : WavPlayer.Load(options.PlayFile);
        await using var agent = PhoneAgent.Create(options);
        var call = agent.Call(new CallRequest { Target = target, Timeout = TimeSpan.FromSeconds(options.RingTimeoutSeconds) });
        output.WriteLine($"CALLING {target} call-id={call.CallId}");
        PhoneAgent.PrintEvents(call, output);
        var recorder = PhoneAgent.AttachAudio(call, options, player);

        try
        {
            await Task.WhenAny(call.WhenAnswered, call.Completion).WaitAsync(cancellationToken);
            if (call.State == CallState.Answered)
            {
                if (options.Digits is { Length: > 0 } digits)
                {
                    call.SendDtmf(digits);
                    output.WriteLine($"SENT-DTMF {digits}");
                }

                var hangupAfter = options.HangupAfterSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
                var timer = Task.Delay(hangupAfter, TimeProvider.System, cancellationToken);
                if (await Task.WhenAny(timer, call.Completion) == timer)
                {
                    call.Hangup();
                }
            }
        }
        catch (OperationCanceledException)
        {
            call.Hangup();
        }

        var end = await call.Completion.WaitAsync(TimeSpan.FromSeconds(40), TimeProvider.System, CancellationToken.None);
        if (recorder is not null && options.RecordFile is { } path)
        {
            recorder.Save(path);
            output.WriteLine($"RECORDED {path}");
        }

        return end.WasAnswered ? 0 : 1;
    }
}
