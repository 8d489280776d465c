namespace Telephony.Twiml.Model;

/// <summary>&lt;Connect&gt;: hand the call to a Stream, Room, ConversationRelay… (nouns kept as written).</summary>
public sealed record Connect : TwimlVerb, IHasAction
{
    public override string Name => "Connect";

    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public IReadOnlyList<TwimlNoun> Nouns { get; init; } = [];
}

/// <summary>&lt;Start&gt;: start a background Stream, Siprec, Transcription or Recording.</summary>
public sealed record Start : TwimlVerb
{
    public override string Name => "Start";

    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public IReadOnlyList<TwimlNoun> Nouns { get; init; } = [];
}

/// <summary>&lt;Stop&gt;: stop a background Stream, Siprec, Transcription or Recording by name.</summary>
public sealed record Stop : TwimlVerb
{
    public override string Name => "Stop";

    public IReadOnlyList<TwimlNoun> Nouns { get; init; } = [];
}

/// <summary>&lt;Pay&gt;: PCI card/ACH capture through a payment connector.</summary>
public sealed record Pay : TwimlVerb, IHasAction
{
    public override string Name => "Pay";

    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public string Input { get; init; } = "dtmf";

    public string PaymentConnector { get; init; } = "Default";

    public string TokenType { get; init; } = "reusable";

    public string? ChargeAmount { get; init; }

    public string Currency { get; init; } = "usd";

    public string PaymentMethod { get; init; } = "credit-card";

    public string ValidCardTypes { get; init; } = "visa mastercard amex";

    public int MaxAttempts { get; init; } = 1;

    public int Timeout { get; init; } = 5;

    public bool SecurityCode { get; init; } = true;

    public string PostalCode { get; init; } = "true";

    public string? StatusCallback { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<TwimlNoun> Nouns { get; init; } = [];
}
