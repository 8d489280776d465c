using System.Collections.Frozen;

namespace Telephony.Media.Tones;

/// <summary>
/// The ringback tones &lt;Dial ringTone&gt; names, by the country codes Twilio accepts. Frequencies and cadences are
/// the national ones published in ITU-T E.180 (Supplement 2, "Various tones used in national networks"). Countries
/// whose tone is the ITU-T E.180 recommendation itself (425 Hz, 1 s on, 4 s off) share that entry.
/// </summary>
public static class RingbackTones
{
    /// <summary>What Dial plays when ringTone is absent (Twilio's <c>automatic</c>).</summary>
    public const string DefaultName = "us";

    private static readonly ToneCadence Recommended = new("itu", [new ToneStep(1000, 4000, 425)]);

    private static readonly FrozenDictionary<string, ToneCadence> ByCountry = new Dictionary<string, ToneCadence>
    {
        ["us"] = new("us", [new ToneStep(2000, 4000, 440, 480)]),
        // 420 Hz modulated at 40 Hz (the Bell System's audible ringing before the precise tone plan): carrier and sidebands.
        ["us-old"] = new("us-old", [new ToneStep(2000, 4000, 380, 420, 460)]),
        ["uk"] = new("uk", [new ToneStep(400, 200, 400, 450), new ToneStep(400, 2000, 400, 450)]),
        // 425 Hz modulated at 25 Hz, double ring.
        ["au"] = new("au", [new ToneStep(400, 200, 400, 425, 450), new ToneStep(400, 2000, 400, 425, 450)]),
        ["nz"] = new("nz", [new ToneStep(400, 200, 400, 450), new ToneStep(400, 2000, 400, 450)]),
        // 400 Hz modulated at 25 Hz, double ring.
        ["in"] = new("in", [new ToneStep(400, 200, 375, 400, 425), new ToneStep(400, 2000, 375, 400, 425)]),
        // 400 Hz modulated at 16 Hz.
        ["jp"] = new("jp", [new ToneStep(1000, 2000, 384, 400, 416)]),
        ["fr"] = new("fr", [new ToneStep(1500, 3500, 440)]),
        ["es"] = new("es", [new ToneStep(1500, 3000, 425)]),
        ["be"] = new("be", [new ToneStep(1000, 3000, 425)]),
        ["il"] = new("il", [new ToneStep(1000, 3000, 400)]),
        ["hu"] = new("hu", [new ToneStep(1250, 3750, 425)]),
        ["ru"] = new("ru", [new ToneStep(800, 3200, 425)]),
        ["cn"] = new("cn", [new ToneStep(1000, 4000, 450)]),
        ["at"] = new("at", [new ToneStep(1000, 5000, 420)]),
        ["se"] = new("se", [new ToneStep(1000, 5000, 425)]),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every value Twilio documents for ringTone.</summary>
    public static IReadOnlySet<string> Names { get; } = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        ["at", "au", "bg", "br", "be", "ch", "cl", "cn", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hu", "il", "in", "it",
         "lt", "jp", "mx", "my", "nl", "no", "nz", "ph", "pl", "pt", "ru", "se", "sg", "th", "uk", "us", "us-old", "tw", "ve", "za"]);

    /// <summary>Twilio's default value: the platform chooses (here, <see cref="DefaultName"/>).</summary>
    public const string Automatic = "automatic";

    /// <summary>True for a value Twilio accepts (an unknown one is Twilio's warning 13220; the default tone plays).</summary>
    public static bool IsKnown(string? name) =>
        name is not null && (Names.Contains(name.Trim()) || string.Equals(name.Trim(), Automatic, StringComparison.OrdinalIgnoreCase));

    /// <summary>The cadence for <paramref name="name"/>; the default for null, empty, automatic or unknown values.</summary>
    public static ToneCadence For(string? name)
    {
        var key = name is not null && Names.Contains(name.Trim()) ? name.Trim() : DefaultName;
        return ByCountry.GetValueOrDefault(key) ?? Recommended with { Name = key.ToLowerInvariant() };
    }
}
