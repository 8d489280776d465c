using System.Numerics;
using System.Runtime.InteropServices;

namespace Telephony.Media.Dsp;

internal static class VectorMath
{
    /// <summary>SIMD dot product of two equal-length spans.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var total = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count * 2)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            // Two accumulators hide the add latency.
            Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
            var v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                acc0 += va[v] * vb[v];
                acc1 += va[v + 1] * vb[v + 1];
            }

            if (v < va.Length)
            {
                acc0 += va[v] * vb[v];
            }

            total = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
