using System.Globalization;
using Telephony.Twiml.Interpreting;

namespace Telephony.Twiml.Simulation;

/// <summary>
/// An <see cref="ICallSession"/> driven by a caller script on a virtual clock: every wait is computed from the
/// script (the next key press, speech or hang-up) and the clock jumps straight there.
/// </summary>
public sealed class ScriptedCallSession : ICallSession
{
    private static readonly TimeSpan DigitSpacing = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan BeepLength = TimeSpan.FromMilliseconds(500);
    private readonly TimeProvider _clock;
    private readonly Action<TimeSpan> _advance;
    private readonly DateTimeOffset _start;
    private readonly List<(TimeSpan At, char Digit)> _digits = [];
    private readonly List<(TimeSpan From, TimeSpan To)> _speech = [];
    private readonly TimeSpan? _hangupAt;
    private readonly DialScript _dial;
    private int _nextDigit;
    private int _sequence;

    public ScriptedCallSession(TimeProvider clock, Action<TimeSpan> advance, IEnumerable<CallerAction> caller, DialScript? dial = null, bool answered = false)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(caller);
        _clock = clock;
        _advance = advance;
        _start = clock.GetUtcNow();
        _dial = dial ?? new DialScript();
        IsAnswered = answered;
        foreach (var action in caller.OrderBy(a => a.After))
        {
            for (var i = 0; i < (action.Digits?.Length ?? 0); i++)
            {
                _digits.Add((action.After + (DigitSpacing * i), action.Digits![i]));
            }

            if (action.Speak is { } speak)
            {
                _speech.Add((action.After, action.After + speak));
            }

            if (action.Hangup)
            {
                _hangupAt = _hangupAt is { } earlier && earlier < action.After ? earlier : action.After;
            }
        }

        _digits.Sort((a, b) => a.At.CompareTo(b.At));
    }

    /// <summary>Virtual seconds a Play of an unknown-length URL lasts.</summary>
    public TimeSpan PlayLength { get; init; } = TimeSpan.FromSeconds(5);

    public bool IsAnswered { get; private set; }

    public bool HungUp { get; private set; }

    public string? RejectedWith { get; private set; }

    /// <summary>What the caller heard and what was sent, in order (for assertions and the simulator's log).</summary>
    public List<string> Transcript { get; } = [];

    /// <summary>Every Dial's plan as the interpreter handed it over (targets with their resolved whisper urls).</summary>
    public List<DialPlan> Dials { get; } = [];

    public TimeSpan Now => _clock.GetUtcNow() - _start;

    public Task AnswerAsync(CancellationToken cancellationToken)
    {
        IsAnswered = true;
        return Task.CompletedTask;
    }

    public Task<PromptOutcome> PlayAsync(string url, bool stopOnDigit, CancellationToken cancellationToken)
    {
        Transcript.Add("play " + url);
        return Task.FromResult(Prompt(PlayLength, stopOnDigit));
    }

    public Task<PromptOutcome> SayAsync(SpeechRequest speech, bool stopOnDigit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speech);
        Transcript.Add("say " + speech.Text);
        // About 150 words a minute, as TTS voices speak.
        var words = Math.Max(1, speech.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        return Task.FromResult(Prompt(TimeSpan.FromSeconds(0.4 * words), stopOnDigit));
    }

    public Task<PromptOutcome> PauseAsync(TimeSpan length, bool stopOnDigit, CancellationToken cancellationToken)
    {
        Transcript.Add("pause " + length.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        return Task.FromResult(Prompt(length, stopOnDigit));
    }

    public Task<PromptOutcome> SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digits);
        Transcript.Add("send " + digits);
        var length = TimeSpan.FromMilliseconds(digits.Sum(c => c is 'w' ? 500 : c is 'W' ? 1000 : 100));
        return Task.FromResult(Prompt(length, stopOnDigit: false));
    }

    public void DiscardPendingDigits()
    {
        while (_nextDigit < _digits.Count && _digits[_nextDigit].At <= Now)
        {
            _nextDigit++;
        }
    }

    public Task<DigitRead> ReadDigitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Now + timeout;
        var next = _nextDigit < _digits.Count ? _digits[_nextDigit].At : TimeSpan.MaxValue;
        if (_hangupAt is { } hangup && hangup <= Min(next, deadline))
        {
            return Task.FromResult(HangUpAt(hangup));
        }

        if (next <= deadline)
        {
            MoveTo(next);
            return Task.FromResult(new DigitRead(_digits[_nextDigit++].Digit, false));
        }

        MoveTo(deadline);
        return Task.FromResult(DigitRead.TimedOut);
    }

    public Task<RecordingOutcome> RecordAsync(RecordingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PlayBeep)
        {
            Transcript.Add("beep");
            if (Prompt(BeepLength, stopOnDigit: false) == PromptOutcome.CallerHungUp)
            {
                return Task.FromResult(new RecordingOutcome(null, null, TimeSpan.Zero, "hangup", true));
            }
        }

        var start = Now;
        var end = start + options.MaxLength;
        string? digits = null;
        var byHangup = false;
        var silenceEnd = SilenceEnd(start, options.SilenceTimeout);
        if (silenceEnd < end)
        {
            end = silenceEnd;
        }

        DiscardPendingDigits();
        for (var i = _nextDigit; i < _digits.Count && _digits[i].At < end; i++)
        {
            if (options.FinishOnKey.Contains(_digits[i].Digit, StringComparison.Ordinal))
            {
                end = _digits[i].At;
                digits = _digits[i].Digit.ToString();
                _nextDigit = i + 1;
                break;
            }
        }

        if (_hangupAt is { } hangup && hangup < end)
        {
            end = hangup;
            digits = "hangup";
            byHangup = true;
        }

        var heard = _speech.Where(s => s.To > start && s.From < end).Select(s => (From: Max(s.From, start), To: Min(s.To, end))).ToList();
        MoveTo(end);
        if (byHangup)
        {
            HungUp = true;
        }

        if (heard.Count == 0)
        {
            return Task.FromResult(new RecordingOutcome(null, null, TimeSpan.Zero, digits, byHangup));
        }

        var length = options.TrimSilence ? heard[^1].To - heard[0].From : end - start;
        var sid = "RE" + NextHex();
        Transcript.Add("record " + length.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        return Task.FromResult(new RecordingOutcome(
            "https://simulator.invalid/2010-04-01/Recordings/" + sid, sid, length, digits, byHangup));
    }

    public Task<DialOutcome> DialAsync(DialPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Transcript.Add("dial " + string.Join(",", plan.Targets.Select(t => t.Name)));
        Dials.Add(plan);
        var sid = "CA" + NextHex();
        var (status, ringFor) = _dial.Outcome switch
        {
            "busy" => ("busy", TimeSpan.FromSeconds(1)),
            "failed" => ("failed", TimeSpan.Zero),
            "no-answer" => ("no-answer", plan.Timeout),
            _ when _dial.AnswerAfter >= plan.Timeout => ("no-answer", plan.Timeout),
            _ => ("answered", _dial.AnswerAfter),
        };

        if (_hangupAt is { } hangup && hangup < Now + ringFor)
        {
            HangUpAt(hangup);
            return Task.FromResult(new DialOutcome("canceled", sid, TimeSpan.Zero, false, true));
        }

        MoveTo(Now + ringFor);
        if (status != "answered")
        {
            return Task.FromResult(new DialOutcome(status, sid, TimeSpan.Zero, false, false));
        }

        var bridgedAt = Now;
        var end = bridgedAt + Min(_dial.HangupAfter, plan.TimeLimit);
        if (plan.HangupOnStar)
        {
            DiscardPendingDigits();
            var star = _digits.Skip(_nextDigit).Where(d => d.Digit == '*' && d.At < end).Select(d => d.At).DefaultIfEmpty(TimeSpan.MaxValue).First();
            end = Min(end, star);
        }

        if (_hangupAt is { } callerGone && callerGone < end)
        {
            HangUpAt(callerGone);
            return Task.FromResult(Recorded(new DialOutcome("completed", sid, callerGone - bridgedAt, true, true), plan));
        }

        MoveTo(end);
        return Task.FromResult(Recorded(new DialOutcome("completed", sid, end - bridgedAt, true, false), plan));
    }

    /// <summary>A bridged Dial with a record mode other than do-not-record leaves a recording as long as the bridge.</summary>
    private DialOutcome Recorded(DialOutcome outcome, DialPlan plan)
    {
        if (plan.Recording is null)
        {
            return outcome;
        }

        var sid = "RE" + NextHex();
        return outcome with
        {
            RecordingUrl = "https://simulator.invalid/2010-04-01/Recordings/" + sid,
            RecordingSid = sid,
            RecordingDuration = outcome.BridgedDuration,
        };
    }

    public Task HangupAsync(CancellationToken cancellationToken)
    {
        HungUp = true;
        Transcript.Add("hangup");
        return Task.CompletedTask;
    }

    public Task RejectAsync(string reason, CancellationToken cancellationToken)
    {
        RejectedWith = reason;
        Transcript.Add("reject " + reason);
        return Task.CompletedTask;
    }

    /// <summary>Plays something of the given length: interrupted by a key (if allowed) or the caller hanging up.</summary>
    private PromptOutcome Prompt(TimeSpan length, bool stopOnDigit)
    {
        var end = Now + length;
        if (stopOnDigit && _nextDigit < _digits.Count && _digits[_nextDigit].At < end &&
            (_hangupAt is null || _digits[_nextDigit].At < _hangupAt))
        {
            MoveTo(Max(Now, _digits[_nextDigit].At));
            return PromptOutcome.Interrupted;
        }

        if (_hangupAt is { } hangup && hangup < end)
        {
            HangUpAt(hangup);
            return PromptOutcome.CallerHungUp;
        }

        MoveTo(end);
        return PromptOutcome.Completed;
    }

    /// <summary>When the recording ends for silence: timeout after the last sound (or after the start if none).</summary>
    private TimeSpan SilenceEnd(TimeSpan start, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return TimeSpan.MaxValue;
        }

        var lastSound = start;
        foreach (var (from, to) in _speech.OrderBy(s => s.From))
        {
            if (to <= start)
            {
                continue;
            }

            if (from - lastSound >= timeout)
            {
                break;
            }

            lastSound = Max(lastSound, to);
        }

        return lastSound + timeout;
    }

    private DigitRead HangUpAt(TimeSpan at)
    {
        MoveTo(Max(Now, at));
        HungUp = true;
        Transcript.Add("caller hangs up");
        return DigitRead.HungUp;
    }

    private void MoveTo(TimeSpan at)
    {
        var now = Now;
        if (at > now)
        {
            _advance(at - now);
        }
    }

    private string NextHex() => (++_sequence).ToString("x32", CultureInfo.InvariantCulture);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
