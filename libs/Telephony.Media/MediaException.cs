namespace Telephony.Media;

/// <summary>A media-layer failure carrying the Twilio error code a tenant will see (see <see cref="MediaErrorCodes"/>).</summary>
public sealed class MediaException : Exception
{
    public MediaException()
        : this(MediaErrorCodes.MediaNotPlayable, "media failure")
    {
    }

    public MediaException(string message)
        : this(MediaErrorCodes.MediaNotPlayable, message)
    {
    }

    public MediaException(string message, Exception innerException)
        : this(MediaErrorCodes.MediaNotPlayable, message, innerException)
    {
    }

    public MediaException(int code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Twilio's numeric error code (https://www.twilio.com/docs/api/errors/{code}).</summary>
    public int Code { get; }

    public string MoreInfo => $"https://www.twilio.com/docs/errors/{Code}";
}

/// <summary>Twilio error codes the media layer reports.</summary>
public static class MediaErrorCodes
{
    /// <summary>Invalid URL format.</summary>
    public const int InvalidUrl = 11100;

    /// <summary>HTTP retrieval failure (non-2xx, size limit, timeout, refused address).</summary>
    public const int RetrievalFailure = 11200;

    /// <summary>HTTP connection failure.</summary>
    public const int ConnectionFailure = 11205;

    /// <summary>HTTP bad host name.</summary>
    public const int BadHostName = 11210;

    /// <summary>HTTP too many redirects.</summary>
    public const int TooManyRedirects = 11215;

    /// <summary>Invalid content type: the response is not audio (e.g. an HTML error page).</summary>
    public const int InvalidContentType = 12300;

    /// <summary>The media could not be decoded or synthesized into playable audio.</summary>
    public const int MediaNotPlayable = 13227;
}
