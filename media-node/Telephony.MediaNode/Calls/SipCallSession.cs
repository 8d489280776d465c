using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.MediaNode.Bridging;
using Telephony.MediaNode.Prompts;
using Telephony.MediaNode.Recording;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The TwiML interpreter's port onto a live SIP call: prompts go out through the call's RTP session (paced
/// 20 ms frames), digits come in as RFC 4733 events, in-band tones or SIP INFO, and every wait ends early
/// when the far end hangs up.
/// </summary>
public sealed class SipCallSession : ICallSession
{
    private static readonly TimeSpan HangupWait = TimeSpan.FromSeconds(5);

    // Far ends buffer 40-200 ms of audio; hanging up the moment the last frame leaves would clip it.
    private static readonly TimeSpan PlayoutTail = TimeSpan.FromMilliseconds(300);
    private readonly SipCall _call;
    private readonly IPromptAudio _audio;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PromptSource _prompt = new();
    private readonly Channel<char> _digits = Channel.CreateUnbounded<char>();
    private long _lastPromptEnd;

    // A looping <Play> (loop="0" is hold music) asks for the same URL over and over; its audio is kept for the call so
    // a repetition neither goes back to the media layer (and the tenant's server to revalidate) nor leaves a gap.
    private (string Url, short[] Samples)? _lastPlayed;

    public SipCallSession(SipCall call, IPromptAudio audio, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(call);
        _call = call;
        _audio = audio;
        _time = time;
        _logger = logger;
        call.DtmfReceived += OnDigit;
        if (call.Media is { } media)
        {
            media.AudioSource = _prompt;
        }
    }

    /// <summary>Runs &lt;Dial&gt; as a B2BUA; without it (or <see cref="Identity"/>) Dial fails.</summary>
    public DialBridge? Bridge { get; init; }

    /// <summary>The platform call this session runs (child legs of a Dial point back to it).</summary>
    public CallIdentity? Identity { get; init; }

    /// <summary>The account's auth token, for a Dial noun's whisper fetched in this process; empty when the functions app signs.</summary>
    public string AuthToken { get; init; } = string.Empty;

    /// <summary>Where &lt;Record&gt; goes: the node's recorder and the call it records for; null records nothing.</summary>
    public SessionRecording? Recording { get; init; }

    /// <summary>Digits received so far that no verb has read (for tests and logs).</summary>
    public int PendingDigits => _digits.Reader.Count;

    public bool IsAnswered => _call.State == CallState.Answered || _call.End?.WasAnswered == true;

    private bool HungUp => _call.Completion.IsCompleted;

    public Task AnswerAsync(CancellationToken cancellationToken)
    {
        // Outbound calls reach the interpreter answered; inbound answering belongs to the inbound runner.
        if (_call.Direction == CallDirection.Inbound)
        {
            _call.Answer();
        }

        return Task.CompletedTask;
    }

    public async Task<PromptOutcome> PlayAsync(string url, bool stopOnDigit, CancellationToken cancellationToken)
    {
        short[] samples;
        if (_lastPlayed is { } last && string.Equals(last.Url, url, StringComparison.Ordinal))
        {
            samples = last.Samples;
        }
        else
        {
            try
            {
                samples = await _audio.PlayAsync(url, cancellationToken);
            }
            catch (PromptAudioException e)
            {
                _logger.LogWarning("Play {Url} failed ({Code}): {Message}", url, e.Code, e.Message);
                return HungUp ? PromptOutcome.CallerHungUp : PromptOutcome.Completed;
            }

            _lastPlayed = (url, samples);
        }

        return await PlayOutAsync(samples, stopOnDigit, cancellationToken);
    }

    public async Task<PromptOutcome> SayAsync(SpeechRequest speech, bool stopOnDigit, CancellationToken cancellationToken)
    {
        short[] samples;
        try
        {
            samples = await _audio.SayAsync(speech, cancellationToken);
        }
        catch (PromptAudioException e)
        {
            _logger.LogWarning("Say failed ({Code}): {Message}", e.Code, e.Message);
            return HungUp ? PromptOutcome.CallerHungUp : PromptOutcome.Completed;
        }

        return await PlayOutAsync(samples, stopOnDigit, cancellationToken);
    }

    public Task<PromptOutcome> PauseAsync(TimeSpan length, bool stopOnDigit, CancellationToken cancellationToken) =>
        WaitAsync(Task.Delay(length, _time, cancellationToken), stopOnDigit, cancellationToken);

    public async Task<PromptOutcome> SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (HungUp)
        {
            return PromptOutcome.CallerHungUp;
        }

        _call.SendDtmf(digits);
        var outcome = await WaitAsync(Task.Delay(DtmfLength(digits), _time, cancellationToken), stopOnDigit: false, cancellationToken);
        // The pacer may still be finishing the last event's end packets.
        for (var i = 0; i < 50 && outcome == PromptOutcome.Completed && _call.Media?.IsSendingDigits == true; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken);
        }

        return outcome;
    }

    public void DiscardPendingDigits()
    {
        while (_digits.Reader.TryRead(out _))
        {
        }
    }

    public async Task<DigitRead> ReadDigitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_digits.Reader.TryRead(out var buffered))
        {
            return new DigitRead(buffered, false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : timeout);
        var waitForDigit = _digits.Reader.WaitToReadAsync(deadline.Token).AsTask();
        var finished = await Task.WhenAny(waitForDigit, _call.Completion);
        cancellationToken.ThrowIfCancellationRequested();
        if (_digits.Reader.TryRead(out var digit))
        {
            return new DigitRead(digit, false);
        }

        await deadline.CancelAsync();
        return finished == _call.Completion || HungUp ? DigitRead.HungUp : DigitRead.TimedOut;
    }

    public Task<RecordingOutcome> RecordAsync(RecordingOptions options, CancellationToken cancellationToken)
    {
        if (Recording is not { } recording)
        {
            _logger.LogWarning("Record has no recorder on this session; the recording is empty");
            return Task.FromResult(new RecordingOutcome(null, null, TimeSpan.Zero, null, HungUp));
        }

        // Keys pressed during earlier prompts must not end the recording before it starts.
        DiscardPendingDigits();
        return recording.Recorder.RecordAsync(
            new RecordTarget(recording.AccountSid, recording.CallSid, _call, _prompt, _digits.Reader), options, cancellationToken);
    }

    public async Task<DialOutcome> DialAsync(DialPlan plan, CancellationToken cancellationToken)
    {
        if (Bridge is null || Identity is null)
        {
            _logger.LogWarning("Dial is not available for this call; the dial fails");
            return new DialOutcome("failed", null, TimeSpan.Zero, false, HungUp);
        }

        _prompt.Stop();
        var outcome = await Bridge.DialAsync(new DialingCall(Identity, _call, AnswerAsync) { AuthToken = AuthToken }, plan, cancellationToken);

        // Keys pressed while bridged were for the callee (or hangupOnStar), not for the next Gather.
        DiscardPendingDigits();
        return outcome;
    }

    public async Task HangupAsync(CancellationToken cancellationToken)
    {
        var sinceLastPrompt = _time.GetElapsedTime(Interlocked.Read(ref _lastPromptEnd));
        if (Interlocked.Read(ref _lastPromptEnd) != 0 && sinceLastPrompt < PlayoutTail && !HungUp)
        {
            await UntilEndedOrAsync(PlayoutTail - sinceLastPrompt);
        }

        _prompt.Stop();
        _call.Hangup();
        await UntilEndedOrAsync(HangupWait);
    }

    /// <summary>
    /// Until the call has ended or <paramref name="limit"/> has passed. The timer goes as soon as the call ends (a
    /// Task.Delay beside the call would stay armed for the whole limit, one per call on a busy node).
    /// </summary>
    private async Task UntilEndedOrAsync(TimeSpan limit)
    {
        using var expiry = new CancellationTokenSource(limit, _time);
        await ((Task)_call.Completion).WaitAsync(expiry.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task RejectAsync(string reason, CancellationToken cancellationToken)
    {
        if (_call.Direction == CallDirection.Inbound && !IsAnswered)
        {
            _call.Reject(reason == "busy" ? 486 : 603);
            return Task.CompletedTask;
        }

        return HangupAsync(cancellationToken);
    }

    /// <summary>Stops whatever is playing (a redirect replaces the program).</summary>
    public void StopPrompt() => _prompt.Stop();

    /// <summary>Stops playing and listening to the call's digits: a whisper's session hands its leg over to the bridge.</summary>
    public void Detach()
    {
        _prompt.Stop();
        _call.DtmfReceived -= OnDigit;
        _digits.Writer.TryComplete();
    }

    private void OnDigit(SipCall call, char digit) => _digits.Writer.TryWrite(digit);

    private async Task<PromptOutcome> PlayOutAsync(short[] samples, bool stopOnDigit, CancellationToken cancellationToken)
    {
        var played = _prompt.Start(samples);
        try
        {
            return await WaitAsync(played.WaitAsync(cancellationToken), stopOnDigit, cancellationToken);
        }
        finally
        {
            if (!played.IsCompleted)
            {
                _prompt.Stop();
            }

            Interlocked.Exchange(ref _lastPromptEnd, _time.GetTimestamp());
        }
    }

    /// <summary>Waits for <paramref name="work"/>, a digit (when it interrupts) or the far end hanging up, whichever is first.</summary>
    private async Task<PromptOutcome> WaitAsync(Task work, bool stopOnDigit, CancellationToken cancellationToken)
    {
        if (HungUp)
        {
            return PromptOutcome.CallerHungUp;
        }

        if (stopOnDigit && _digits.Reader.Count > 0)
        {
            return PromptOutcome.Interrupted;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var digit = stopOnDigit ? _digits.Reader.WaitToReadAsync(stopWaiting.Token).AsTask() : Task.Delay(Timeout.Infinite, stopWaiting.Token);
        var first = await Task.WhenAny(work, digit, _call.Completion);
        await stopWaiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        if (first == _call.Completion)
        {
            return PromptOutcome.CallerHungUp;
        }

        if (first == digit && digit.IsCompletedSuccessfully)
        {
            return PromptOutcome.Interrupted;
        }

        await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return HungUp ? PromptOutcome.CallerHungUp : PromptOutcome.Completed;
    }

    private static TimeSpan DtmfLength(string digits) =>
        TimeSpan.FromMilliseconds(digits.Sum(c => c switch { 'w' => 500, 'W' => 1000, _ => 160 }));
}

/// <summary>The recorder a session's &lt;Record&gt; delegates to, and the call's identity for the Recording resource.</summary>
public sealed record SessionRecording(RecordVerbRecorder Recorder, string AccountSid, string CallSid);
