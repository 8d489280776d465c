namespace Telephony.Core.Errors;

/// <summary>A request the platform refuses, carrying the Twilio error the caller receives.</summary>
public sealed class TwilioException : Exception
{
    public TwilioException(TwilioError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public TwilioException()
        : this(new TwilioError(TwilioErrorCodes.InternalError, "Internal error", 500))
    {
    }

    public TwilioException(string message)
        : this(new TwilioError(TwilioErrorCodes.InvalidParameter, message, 400))
    {
    }

    public TwilioException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new TwilioError(TwilioErrorCodes.InternalError, message, 500);
    }

    public TwilioError Error { get; }
}
