using Telephony.Twiml.Model;

namespace Telephony.Twiml.Parsing;

/// <summary>Maps &lt;Dial&gt; and its nouns (Number, Sip, Client, Conference, Queue…, or a bare number as text).</summary>
internal static class DialReader
{
    public static Dial Read(TwimlElement element, AttributeReader a, List<TwimlNotification> warnings)
    {
        var targets = new List<DialTarget>();
        foreach (var child in element.Children)
        {
            targets.Add(ReadTarget(child, warnings));
        }

        var bareNumber = element.Text;
        if (targets.Count == 0 && bareNumber.Length > 0)
        {
            targets.Add(new DialNumber { Number = bareNumber });
        }

        if (targets.Count == 0)
        {
            throw new TwimlSchemaException("<Dial> has nothing to dial");
        }

        return new Dial
        {
            Action = a.String("action"),
            Method = a.Method(),
            Timeout = a.Int("timeout", 30, 5, 600),
            CallerId = a.String("callerId"),
            Record = a.OneOf("record", "do-not-record", "do-not-record", "record-from-answer", "record-from-ringing",
                "record-from-answer-dual", "record-from-ringing-dual", "true", "false"),
            Trim = a.OneOf("trim", "do-not-trim", "trim-silence", "do-not-trim"),
            HangupOnStar = a.Bool("hangupOnStar", false),
            TimeLimit = a.Int("timeLimit", 14400, 1, 86400),
            AnswerOnBridge = a.Bool("answerOnBridge", false),
            RingTone = a.String("ringTone"),
            Sequential = a.Bool("sequential", false),
            RecordingStatusCallback = a.String("recordingStatusCallback"),
            RecordingStatusCallbackMethod = a.Method("recordingStatusCallbackMethod"),
            RecordingStatusCallbackEvent = a.String("recordingStatusCallbackEvent", "completed"),
            ReferUrl = a.String("referUrl"),
            ReferMethod = a.Method("referMethod"),
            Targets = targets,
        };
    }

    private static DialTarget ReadTarget(TwimlElement noun, List<TwimlNotification> warnings)
    {
        var a = new AttributeReader(noun, warnings);
        DialTarget target = noun.Name switch
        {
            "Number" => new DialNumber { Number = noun.Text, SendDigits = a.String("sendDigits"), Byoc = a.String("byoc") },
            "Sip" => new DialSip { Uri = noun.Text, Username = a.String("username"), Password = a.String("password") },
            "Client" => ReadClient(noun),
            "Conference" => ReadConference(noun, a),
            "Queue" => new DialQueue
            {
                QueueName = noun.Text,
                ReservationSid = a.String("reservationSid"),
                PostWorkActivitySid = a.String("postWorkActivitySid"),
            },
            "Application" or "WhatsApp" => new DialOther(TwimlVerbReader.ToNoun(noun)),
            _ => throw new TwimlSchemaException($"<{noun.Name}> is not allowed inside <Dial>"),
        };

        return target with
        {
            Url = a.String("url"),
            Method = a.Method(),
            StatusCallback = a.String("statusCallback"),
            StatusCallbackMethod = a.Method("statusCallbackMethod"),
            StatusCallbackEvent = a.String("statusCallbackEvent", "completed"),
        };
    }

    private static DialClient ReadClient(TwimlElement noun)
    {
        // <Client>alice</Client> or <Client><Identity>alice</Identity><Parameter name= value=/></Client>
        var identity = noun.Children.FirstOrDefault(c => c.Name == "Identity")?.Text ?? noun.Text;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in noun.Children.Where(c => c.Name == "Parameter"))
        {
            if (parameter.Attribute("name") is { Length: > 0 } name)
            {
                parameters[name] = parameter.Attribute("value") ?? string.Empty;
            }
        }

        return new DialClient { Identity = identity, Parameters = parameters };
    }

    private static DialConference ReadConference(TwimlElement noun, AttributeReader a) => new()
    {
        RoomName = noun.Text,
        Muted = a.Bool("muted", false),
        Beep = a.OneOf("beep", "true", "true", "false", "onEnter", "onExit"),
        StartConferenceOnEnter = a.Bool("startConferenceOnEnter", true),
        EndConferenceOnExit = a.Bool("endConferenceOnExit", false),
        WaitUrl = a.String("waitUrl"),
        WaitMethod = a.Method("waitMethod"),
        MaxParticipants = a.Int("maxParticipants", 250, 2, 250),
        Record = a.OneOf("record", "do-not-record", "do-not-record", "record-from-start"),
        Trim = a.OneOf("trim", "trim-silence", "trim-silence", "do-not-trim"),
        Coach = a.String("coach"),
        Attributes = a.All(),
    };
}
