using System.Text.Json.Serialization;

namespace Telephony.Twiml.Model;

/// <summary>A noun inside &lt;Dial&gt;. Status callback attributes are shared by the call-leg nouns.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DialNumber), "Number")]
[JsonDerivedType(typeof(DialSip), "Sip")]
[JsonDerivedType(typeof(DialClient), "Client")]
[JsonDerivedType(typeof(DialConference), "Conference")]
[JsonDerivedType(typeof(DialQueue), "Queue")]
[JsonDerivedType(typeof(DialOther), "Other")]
public abstract record DialTarget
{
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>A URL whose TwiML runs on the called party before the bridge (whisper).</summary>
    public string? Url { get; init; }

    public string Method { get; init; } = "POST";

    public string? StatusCallback { get; init; }

    public string StatusCallbackMethod { get; init; } = "POST";

    /// <summary>Space-separated: initiated ringing answered completed. Twilio's default is completed.</summary>
    public string StatusCallbackEvent { get; init; } = "completed";
}

public sealed record DialNumber : DialTarget
{
    public override string Name => "Number";

    public string Number { get; init; } = string.Empty;

    public string? SendDigits { get; init; }

    public string? Byoc { get; init; }
}

public sealed record DialSip : DialTarget
{
    public override string Name => "Sip";

    public string Uri { get; init; } = string.Empty;

    public string? Username { get; init; }

    public string? Password { get; init; }
}

public sealed record DialClient : DialTarget
{
    public override string Name => "Client";

    public string Identity { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}

public sealed record DialConference : DialTarget
{
    public override string Name => "Conference";

    public string RoomName { get; init; } = string.Empty;

    public bool Muted { get; init; }

    public string Beep { get; init; } = "true";

    public bool StartConferenceOnEnter { get; init; } = true;

    public bool EndConferenceOnExit { get; init; }

    public string? WaitUrl { get; init; }

    public string WaitMethod { get; init; } = "POST";

    public int MaxParticipants { get; init; } = 250;

    public string Record { get; init; } = "do-not-record";

    public string Trim { get; init; } = "trim-silence";

    public string? Coach { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

public sealed record DialQueue : DialTarget
{
    public override string Name => "Queue";

    public string QueueName { get; init; } = string.Empty;

    public string? ReservationSid { get; init; }

    public string? PostWorkActivitySid { get; init; }
}

/// <summary>A Dial noun this platform does not run yet (Application, WhatsApp…), kept as written.</summary>
public sealed record DialOther(TwimlNoun Noun) : DialTarget
{
    public override string Name => Noun.Name;
}
