namespace Telephony.Core;

/// <summary>One page of a range read, and the token that continues after it (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);
