namespace Telephony.Media.Cache;

public sealed class MediaCacheOptions
{
    /// <summary>Memory level capacity.</summary>
    public long MemoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Disk level folder; null disables the disk level.</summary>
    public string? DiskDirectory { get; set; }

    public long DiskBytes { get; set; } = 1024L * 1024 * 1024;

    public long MaxDownloadBytes { get; set; } = 50L * 1024 * 1024;

    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxRedirects { get; set; } = 5;

    /// <summary>Freshness for responses without Cache-Control or Expires (0: revalidate every time).</summary>
    public TimeSpan DefaultFreshness { get; set; } = TimeSpan.Zero;

    /// <summary>Local mode and tests only: lets media URLs reach loopback and private networks.</summary>
    public bool AllowPrivateAddresses { get; set; }
}
