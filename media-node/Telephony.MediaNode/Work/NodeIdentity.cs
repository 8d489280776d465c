namespace Telephony.MediaNode.Work;

/// <summary>This node's name (nodes table row, control queue) and when it started.</summary>
public sealed record NodeIdentity(string Id, DateTimeOffset StartedAt)
{
    /// <summary>A configured name, or "node-" and a random suffix; queue names need lowercase letters, digits and dashes.</summary>
    public static string ChooseId(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? "node-" + Guid.NewGuid().ToString("N")[..12] : configured.Trim().ToLowerInvariant();
}
