using Telephony.Twiml.Model;

namespace Telephony.Twiml.Fetching;

/// <summary>
/// What an instruction fetch produced: a program, or an audio URL to play (audio/* answers), or the error that
/// ends the call. <see cref="Notifications"/> lists every failure on the way (e.g. the primary URL's before fallback).
/// </summary>
public sealed record FetchResult
{
    public TwimlProgram? Program { get; init; }

    /// <summary>Set when the application answered with audio/*: Twilio plays it and the call ends.</summary>
    public string? AudioUrl { get; init; }

    /// <summary>The final error when neither URL nor fallback produced instructions.</summary>
    public TwimlNotification? Error { get; init; }

    /// <summary>The URL the instructions came from (after redirects); relative URLs in them resolve against it.</summary>
    public string? DocumentUrl { get; init; }

    public IReadOnlyList<TwimlNotification> Notifications { get; init; } = [];

    public bool Succeeded => Error is null;

    public static FetchResult Failed(TwimlNotification error, IReadOnlyList<TwimlNotification> notifications) =>
        new() { Error = error, Notifications = notifications };
}
