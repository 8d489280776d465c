using System.Globalization;
using System.Text;
using System.Xml;

namespace Telephony.Media.Speech;

/// <summary>
/// Reads the SSML subset Twilio accepts inside &lt;Say&gt; (speak, break, prosody, say-as, emphasis, p, s,
/// sub, lang, w, phoneme) into plain segments. Markup never reaches a TTS engine: engines only get words.
/// Unknown tags are ignored (their text is kept); DTDs and external entities are refused by the reader;
/// text that is not well-formed XML is spoken as written.
/// </summary>
public static class SsmlParser
{
    private static readonly TimeSpan MaxBreak = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<SpeechSegment> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return Plain(text);
        }

        var document = text.TrimStart().StartsWith("<speak", StringComparison.Ordinal) ? text : $"<speak>{text}</speak>";
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = 64 * 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(document), settings);
            return new Walker().Walk(reader);
        }
        catch (XmlException)
        {
            return Plain(text);
        }
    }

    private static List<SpeechSegment> Plain(string text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [new SpokenText(text.Trim(), Prosody.Default)];

    private sealed class Walker
    {
        private readonly List<SpeechSegment> _segments = [];
        private readonly Stack<(string Name, Prosody Prosody, string? SayAs, bool Skip)> _open = new();
        private readonly StringBuilder _pending = new();
        private Prosody _pendingProsody = Prosody.Default;

        public List<SpeechSegment> Walk(XmlReader reader)
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        Open(reader);
                        break;
                    case XmlNodeType.EndElement:
                        Close(reader.LocalName);
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                        AddText(reader.Value);
                        break;
                }
            }

            FlushText();
            return _segments;
        }

        private Prosody Current => _open.Count == 0 ? Prosody.Default : _open.Peek().Prosody;

        private void Open(XmlReader reader)
        {
            var name = reader.LocalName;
            var prosody = Current;
            string? sayAs = _open.Count == 0 ? null : _open.Peek().SayAs;
            var skip = _open.Count > 0 && _open.Peek().Skip;
            switch (name)
            {
                case "break":
                    AddPause(BreakDuration(reader.GetAttribute("time"), reader.GetAttribute("strength")));
                    break;
                case "p":
                    AddPause(TimeSpan.FromMilliseconds(600));
                    break;
                case "s":
                    AddPause(TimeSpan.FromMilliseconds(300));
                    break;
                case "prosody":
                    prosody = prosody with
                    {
                        Rate = prosody.Rate * Scale(reader.GetAttribute("rate"), RateKeyword),
                        Pitch = prosody.Pitch * Scale(reader.GetAttribute("pitch"), PitchKeyword),
                        Volume = prosody.Volume * Volume(reader.GetAttribute("volume")),
                    };
                    break;
                case "emphasis":
                    var level = reader.GetAttribute("level") ?? "moderate";
                    prosody = level switch
                    {
                        "strong" => prosody with { Rate = prosody.Rate * 0.8, Volume = prosody.Volume * 1.4 },
                        "reduced" => prosody with { Rate = prosody.Rate * 1.1, Volume = prosody.Volume * 0.7 },
                        "none" => prosody,
                        _ => prosody with { Rate = prosody.Rate * 0.9, Volume = prosody.Volume * 1.2 },
                    };
                    break;
                case "say-as":
                    sayAs = reader.GetAttribute("interpret-as");
                    break;
                case "sub":
                    // Speak the alias instead of the written text.
                    if (reader.GetAttribute("alias") is { } alias)
                    {
                        AddText(alias);
                        skip = true;
                    }

                    break;
            }

            if (!reader.IsEmptyElement)
            {
                _open.Push((name, prosody, sayAs, skip));
            }
        }

        private void Close(string name)
        {
            if (_open.Count > 0)
            {
                _open.Pop();
            }

            if (name is "p" or "s")
            {
                AddPause(TimeSpan.FromMilliseconds(name == "p" ? 600 : 300));
            }
        }

        private void AddText(string value)
        {
            if (_open.Count > 0 && _open.Peek().Skip)
            {
                return;
            }

            var sayAs = _open.Count == 0 ? null : _open.Peek().SayAs;
            value = SayAs(value, sayAs);
            if (_pending.Length > 0 && _pendingProsody != Current)
            {
                FlushText();
            }

            _pendingProsody = Current;
            _pending.Append(value);
        }

        private void AddPause(TimeSpan duration)
        {
            FlushText();
            if (duration > TimeSpan.Zero)
            {
                _segments.Add(new SpeechPause(duration));
            }
        }

        private void FlushText()
        {
            var text = _pending.ToString().Trim();
            _pending.Clear();
            if (text.Length > 0)
            {
                _segments.Add(new SpokenText(text, _pendingProsody));
            }
        }

        // Engines read digits and letters one by one when they are separated.
        private static string SayAs(string value, string? interpretAs) => interpretAs switch
        {
            "characters" or "spell-out" or "digits" or "telephone" => string.Join(' ', value.Where(c => !char.IsWhiteSpace(c) && c != '-')),
            _ => value,
        };

        private static TimeSpan BreakDuration(string? time, string? strength)
        {
            if (time is not null)
            {
                var trimmed = time.Trim();
                var isMilliseconds = trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase);
                var number = isMilliseconds ? trimmed[..^2] : trimmed.TrimEnd('s', 'S');
                if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
                {
                    var duration = isMilliseconds ? TimeSpan.FromMilliseconds(value) : TimeSpan.FromSeconds(value);
                    return duration > MaxBreak ? MaxBreak : duration;
                }
            }

            return strength switch
            {
                "none" => TimeSpan.Zero,
                "x-weak" => TimeSpan.FromMilliseconds(100),
                "weak" => TimeSpan.FromMilliseconds(250),
                "strong" => TimeSpan.FromMilliseconds(1000),
                "x-strong" => TimeSpan.FromMilliseconds(1500),
                _ => TimeSpan.FromMilliseconds(500),
            };
        }

        private static double RateKeyword(string keyword) => keyword switch
        {
            "x-slow" => 0.5,
            "slow" => 0.75,
            "fast" => 1.25,
            "x-fast" => 1.6,
            _ => 1.0,
        };

        private static double PitchKeyword(string keyword) => keyword switch
        {
            "x-low" => 0.7,
            "low" => 0.85,
            "high" => 1.15,
            "x-high" => 1.3,
            _ => 1.0,
        };

        // "80%", "+10%", "-20%" or a keyword; the result is clamped to a range every engine can honour.
        private static double Scale(string? value, Func<string, double> keyword)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return 1.0;
            }

            var trimmed = value.Trim();
            if (trimmed.EndsWith('%') && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                var relative = trimmed[0] is '+' or '-';
                return Math.Clamp(relative ? 1 + (percent / 100) : percent / 100, 0.2, 3.0);
            }

            return keyword(trimmed);
        }

        private static double Volume(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return 1.0;
            }

            var trimmed = value.Trim();
            if (trimmed.EndsWith("dB", StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(trimmed[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var decibels))
            {
                return Math.Clamp(Math.Pow(10, decibels / 20), 0.0, 4.0);
            }

            return trimmed switch
            {
                "silent" => 0.0,
                "x-soft" => 0.3,
                "soft" => 0.6,
                "loud" => 1.4,
                "x-loud" => 1.8,
                _ => 1.0,
            };
        }
    }
}
