namespace Telephony.Twiml.Interpreting;

public sealed record InterpreterOptions
{
    /// <summary>Repetitions for loop="0" ("forever"): the call ends long before.</summary>
    public int MaxLoop { get; init; } = 1000;

    /// <summary>Documents fetched in a row with no verb that takes call time in between (Redirect loops).</summary>
    public int MaxFetchesWithoutProgress { get; init; } = 50;

    /// <summary>What the caller hears when the application fails, as on Twilio.</summary>
    public string ApplicationErrorMessage { get; init; } = "We are sorry, an application error has occurred. Goodbye.";

    /// <summary>
    /// Whether the end of a document (or an audio answer played to its end) hangs the call up, as on any call. A Dial
    /// noun's whisper turns it off: there the end of the document means "connect the parties".
    /// </summary>
    public bool EndOfDocumentHangsUp { get; init; } = true;
}
