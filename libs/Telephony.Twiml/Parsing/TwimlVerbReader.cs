using Telephony.Twiml.Model;

namespace Telephony.Twiml.Parsing;

/// <summary>Maps one element under &lt;Response&gt; to its typed verb, applying Twilio's attribute defaults.</summary>
internal static class TwimlVerbReader
{
    public static TwimlVerb Read(TwimlElement element, List<TwimlNotification> warnings)
    {
        var a = new AttributeReader(element, warnings);
        return element.Name switch
        {
            "Say" => ReadSay(element, a),
            "Play" => ReadPlay(element, a, warnings),
            "Pause" => new Pause { Length = a.Int("length", 1, 0, 3600) },
            "Gather" => ReadGather(element, a, warnings),
            "Record" => ReadRecord(a),
            "Dial" => DialReader.Read(element, a, warnings),
            "Hangup" => new Hangup(),
            "Reject" => new Reject { Reason = a.OneOf("reason", "rejected", "rejected", "busy") },
            "Redirect" => ReadRedirect(element, a),
            "Leave" => new Leave(),
            "Enqueue" => ReadEnqueue(element, a, warnings),
            "Refer" => ReadRefer(element, a),
            "Sms" or "Message" => ReadSms(element, a),
            "Connect" => new Connect { Action = a.String("action"), Method = a.Method(), Nouns = Nouns(element) },
            "Start" => new Start { Action = a.String("action"), Method = a.Method(), Nouns = Nouns(element) },
            "Stop" => new Stop { Nouns = Nouns(element) },
            "Pay" => ReadPay(element, a),
            _ => throw new TwimlSchemaException($"<{element.Name}> is not a TwiML voice verb"),
        };
    }

    private static Say ReadSay(TwimlElement element, AttributeReader a) => new()
    {
        Text = element.Text,
        Ssml = element.HasChildElements ? element.InnerMarkup() : null,
        Voice = a.String("voice", "man"),
        Language = a.String("language", "en-US"),
        Loop = a.Int("loop", 1, 0, 1000),
    };

    private static Play ReadPlay(TwimlElement element, AttributeReader a, List<TwimlNotification> warnings)
    {
        var digits = a.String("digits");
        if (digits is not null && !digits.All(c => char.IsAsciiDigit(c) || c is '*' or '#' or 'w' or 'W' or 'A' or 'B' or 'C' or 'D'))
        {
            warnings.Add(new(TwimlErrorCodes.SchemaValidationWarning, $"<Play> digits=\"{digits}\" has characters other than 0-9 * # w W"));
            digits = new string([.. digits.Where(c => char.IsAsciiDigit(c) || c is '*' or '#' or 'w' or 'W')]);
        }

        return new Play { Url = element.Text, Digits = digits, Loop = a.Int("loop", 1, 0, 1000) };
    }

    private static Gather ReadGather(TwimlElement element, AttributeReader a, List<TwimlNotification> warnings)
    {
        var prompts = new List<TwimlVerb>();
        foreach (var child in element.Children)
        {
            if (child.Name is not ("Say" or "Play" or "Pause"))
            {
                throw new TwimlSchemaException($"<{child.Name}> is not allowed inside <Gather> (only Say, Play and Pause)");
            }

            prompts.Add(Read(child, warnings));
        }

        var input = a.String("input", "dtmf").ToLowerInvariant();
        if (input is not ("dtmf" or "speech" or "dtmf speech" or "speech dtmf"))
        {
            warnings.Add(new(TwimlErrorCodes.SchemaValidationWarning, $"<Gather> input=\"{input}\" is invalid; dtmf is used"));
            input = "dtmf";
        }

        var finishOnKey = element.Attribute("finishOnKey") ?? "#";
        if (finishOnKey.Length > 1 || (finishOnKey.Length == 1 && !IsDtmf(finishOnKey[0])))
        {
            warnings.Add(new(TwimlErrorCodes.SchemaValidationWarning, $"<Gather> finishOnKey=\"{finishOnKey}\" is invalid; # is used"));
            finishOnKey = "#";
        }

        return new Gather
        {
            Action = a.String("action"),
            Method = a.Method(),
            Timeout = a.Int("timeout", 5, 1, 600),
            FinishOnKey = finishOnKey,
            NumDigits = a.NullableInt("numDigits", 1, 1000),
            Input = input,
            ActionOnEmptyResult = a.Bool("actionOnEmptyResult", false),
            SpeechTimeout = a.String("speechTimeout"),
            MaxSpeechTime = a.Int("maxSpeechTime", 60, 1, 60),
            BargeIn = a.Bool("bargeIn", true),
            Language = a.String("language", "en-US"),
            Hints = a.String("hints"),
            ProfanityFilter = a.Bool("profanityFilter", true),
            SpeechModel = a.String("speechModel"),
            Enhanced = a.Bool("enhanced", false),
            PartialResultCallback = a.String("partialResultCallback"),
            PartialResultCallbackMethod = a.Method("partialResultCallbackMethod"),
            Prompts = prompts,
        };
    }

    private static Record ReadRecord(AttributeReader a) => new()
    {
        Action = a.String("action"),
        Method = a.Method(),
        Timeout = a.Int("timeout", 5, 0, 3600),
        FinishOnKey = a.String("finishOnKey", "1234567890*#"),
        MaxLength = a.Int("maxLength", 3600, 1, 14400),
        PlayBeep = a.Bool("playBeep", true),
        Trim = a.OneOf("trim", "trim-silence", "trim-silence", "do-not-trim"),
        RecordingStatusCallback = a.String("recordingStatusCallback"),
        RecordingStatusCallbackMethod = a.Method("recordingStatusCallbackMethod"),
        RecordingStatusCallbackEvent = a.String("recordingStatusCallbackEvent", "completed"),
        Transcribe = a.Bool("transcribe", false),
        TranscribeCallback = a.String("transcribeCallback"),
    };

    private static Redirect ReadRedirect(TwimlElement element, AttributeReader a)
    {
        if (element.Text.Length == 0)
        {
            throw new TwimlSchemaException("<Redirect> needs a URL");
        }

        return new Redirect { Url = element.Text, Method = a.Method() };
    }

    private static Enqueue ReadEnqueue(TwimlElement element, AttributeReader a, List<TwimlNotification> warnings)
    {
        var task = element.Children.FirstOrDefault(c => c.Name == "Task");
        var taskAttributes = task is null ? (AttributeReader?)null : new AttributeReader(task, warnings);
        return new Enqueue
        {
            QueueName = element.Text,
            Action = a.String("action"),
            Method = a.Method(),
            WaitUrl = a.String("waitUrl"),
            WaitUrlMethod = a.Method("waitUrlMethod"),
            MaxQueueSize = a.NullableInt("maxQueueSize", 1, 5000),
            WorkflowSid = a.String("workflowSid"),
            Task = task?.Text,
            TaskPriority = taskAttributes?.NullableInt("priority", 0, int.MaxValue),
            TaskTimeout = taskAttributes?.NullableInt("timeout", 1, 86400),
        };
    }

    private static Refer ReadRefer(TwimlElement element, AttributeReader a) => new()
    {
        Action = a.String("action"),
        Method = a.Method(),
        SipUri = element.Children.FirstOrDefault(c => c.Name == "Sip")?.Text ?? element.Text,
    };

    private static Sms ReadSms(TwimlElement element, AttributeReader a) => new(element.Name)
    {
        Body = element.Children.FirstOrDefault(c => c.Name == "Body")?.Text ?? element.Text,
        To = a.String("to"),
        From = a.String("from"),
        Action = a.String("action"),
        Method = a.Method(),
        StatusCallback = a.String("statusCallback"),
    };

    private static Pay ReadPay(TwimlElement element, AttributeReader a) => new()
    {
        Action = a.String("action"),
        Method = a.Method(),
        Input = a.String("input", "dtmf"),
        PaymentConnector = a.String("paymentConnector", "Default"),
        TokenType = a.String("tokenType", "reusable"),
        ChargeAmount = a.String("chargeAmount"),
        Currency = a.String("currency", "usd"),
        PaymentMethod = a.String("paymentMethod", "credit-card"),
        ValidCardTypes = a.String("validCardTypes", "visa mastercard amex"),
        MaxAttempts = a.Int("maxAttempts", 1, 1, 3),
        Timeout = a.Int("timeout", 5, 1, 600),
        SecurityCode = a.Bool("securityCode", true),
        PostalCode = a.String("postalCode", "true"),
        StatusCallback = a.String("statusCallback"),
        Attributes = a.All(),
        Nouns = Nouns(element),
    };

    internal static IReadOnlyList<TwimlNoun> Nouns(TwimlElement element) =>
        [.. element.Children.Select(ToNoun)];

    internal static TwimlNoun ToNoun(TwimlElement element)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in element.Attributes)
        {
            attributes[key] = value;
        }

        return new TwimlNoun(element.Name, attributes, element.Text, Nouns(element));
    }

    internal static bool IsDtmf(char c) => char.IsAsciiDigit(c) || c is '*' or '#';
}
