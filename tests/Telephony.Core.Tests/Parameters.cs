using Telephony.Core.Parameters;

namespace Telephony.Core.Tests;

/// <summary>Builds <see cref="RequestParameters"/> from name/value pairs (repeats allowed).</summary>
internal static class Parameters
{
    public static RequestParameters Of(params (string Name, string Value)[] pairs) =>
        new(pairs.GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Value).ToList(), StringComparer.Ordinal));
}
