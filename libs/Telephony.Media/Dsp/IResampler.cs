namespace Telephony.Media.Dsp;

/// <summary>A streaming sample-rate converter: feed blocks in order, it keeps the filter state between them.</summary>
public interface IResampler
{
    int InputRate { get; }

    int OutputRate { get; }

    /// <summary>Upper bound of outputs one <see cref="Process"/> call with this many inputs can produce.</summary>
    int MaxOutputLength(int inputLength);

    /// <summary>Consumes all of <paramref name="input"/>; returns how many samples were written to <paramref name="output"/>.</summary>
    int Process(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Feeds the silence needed to push the last inputs through the filter; call once at the end.</summary>
    int Flush(Span<float> output);
}
