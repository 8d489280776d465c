using Telephony.Media;

namespace Telephony.Cli.Media;

/// <summary>Options shared by the media sub-commands; everything else is positional.</summary>
internal sealed class MediaArguments
{
    public List<string> Positional { get; } = [];

    public TelephonyEncoding Encoding { get; private set; } = TelephonyEncoding.MuLaw;

    public string? Voice { get; private set; }

    public string? Language { get; private set; }

    public string? Engine { get; private set; }

    public static bool TryParse(string[] args, out MediaArguments parsed, out string problem)
    {
        parsed = new MediaArguments();
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--ulaw":
                    parsed.Encoding = TelephonyEncoding.MuLaw;
                    break;
                case "--alaw":
                    parsed.Encoding = TelephonyEncoding.ALaw;
                    break;
                case "--voice" or "--language" or "--engine":
                    if (i + 1 >= args.Length)
                    {
                        problem = $"{arg} needs a value";
                        return false;
                    }

                    var value = args[++i];
                    if (arg == "--voice")
                    {
                        parsed.Voice = value;
                    }
                    else if (arg == "--language")
                    {
                        parsed.Language = value;
                    }
                    else
                    {
                        parsed.Engine = value;
                    }

                    break;
                case "--":
                    parsed.Positional.AddRange(args[(i + 1)..]);
                    return true;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        problem = $"unknown option {arg}";
                        return false;
                    }

                    parsed.Positional.Add(arg);
                    break;
            }
        }

        return true;
    }
}
