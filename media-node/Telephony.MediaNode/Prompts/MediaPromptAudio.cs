using System.Diagnostics;
using System.Globalization;
using Telephony.Core.Diagnostics;
using Telephony.Media;
using Telephony.Media.Cache;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Prompts;

/// <summary>
/// What every media-layer prompt source shares: &lt;Play&gt;/&lt;Say&gt; become a <see cref="MediaRequest"/>, the
/// telephony WAV it yields becomes samples, and media errors keep their Twilio codes as
/// <see cref="PromptAudioException"/>. Subclasses only say where the WAV comes from.
/// </summary>
public abstract class MediaPromptAudio : IPromptAudio
{
    private readonly TimeProvider _time;

    protected MediaPromptAudio(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken) =>
        GetAsync(() => MediaRequest.ForUrl(url), cancellationToken);

    public Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speech);
        return GetAsync(() => MediaRequest.ForSpeech(speech.Ssml ?? speech.Text, speech.Voice, speech.Language), cancellationToken);
    }

    /// <summary>The 8 kHz telephony WAV for <paramref name="request"/>; media failures throw <see cref="MediaException"/>.</summary>
    protected abstract Task<ReadOnlyMemory<byte>> LoadWavAsync(MediaRequest request, CancellationToken cancellationToken);

    private async Task<short[]> GetAsync(Func<MediaRequest> request, CancellationToken cancellationToken)
    {
        using var span = TelephonyTelemetry.Node.StartActivity("prompt.fetch", ActivityKind.Client);
        var started = _time.GetTimestamp();
        try
        {
            var wav = await LoadWavAsync(request(), cancellationToken);
            TelephonyTelemetry.PromptFetchDuration.Record(_time.GetElapsedTime(started).TotalMilliseconds);
            return PromptWav.ToSamples(wav.Span);
        }
        catch (MediaException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Code.ToString(CultureInfo.InvariantCulture));
            throw new PromptAudioException(e.Code, e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new PromptAudioException(MediaErrorCodes.InvalidUrl, e.Message, e);
        }
    }
}
