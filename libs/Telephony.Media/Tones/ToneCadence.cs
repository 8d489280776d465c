namespace Telephony.Media.Tones;

/// <summary>One step of a cadence: the summed <paramref name="FrequenciesHz"/> for <paramref name="OnMs"/>, then <paramref name="OffMs"/> of silence.</summary>
public sealed record ToneStep(int OnMs, int OffMs, params double[] FrequenciesHz);

/// <summary>A repeating call-progress tone (ringback, busy…): its steps, played in order, then again from the first.</summary>
public sealed record ToneCadence(string Name, IReadOnlyList<ToneStep> Steps)
{
    /// <summary>One repetition, in milliseconds.</summary>
    public int PeriodMs => Steps.Sum(s => s.OnMs + s.OffMs);
}
