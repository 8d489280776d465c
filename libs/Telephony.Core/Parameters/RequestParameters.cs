using Telephony.Core.Errors;

namespace Telephony.Core.Parameters;

/// <summary>
/// The form or query parameters of one API request, by Twilio name (case-sensitive, as Twilio's are).
/// Validators read what they know through it and then call <see cref="RejectUnread"/>, so a parameter
/// this platform does not implement gets a clear 400 instead of being silently ignored.
/// </summary>
public sealed class RequestParameters
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public RequestParameters(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    public static RequestParameters Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>());

    public bool Has(string name)
    {
        _read.Add(name);
        return _values.ContainsKey(name);
    }

    /// <summary>The single value of a parameter, or null when absent; a repeated parameter is an error.</summary>
    public string? Single(string name)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw Invalid(TwilioErrorCodes.InvalidParameter, $"Parameter '{name}' may be given only once");
        }

        return values[0];
    }

    public IReadOnlyList<string> All(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var values) ? values : [];
    }

    public int? Int(string name, int min, int max)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw Invalid(TwilioErrorCodes.InvalidParameter, $"Parameter '{name}' must be an integer from {min} to {max}");
        }

        return value;
    }

    public bool? Bool(string name)
    {
        var text = Single(name);
        return text switch
        {
            null => null,
            _ when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            _ when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw Invalid(TwilioErrorCodes.InvalidParameter, $"Parameter '{name}' must be true or false"),
        };
    }

    /// <summary>Refuses every parameter no validator asked for, naming them.</summary>
    public void RejectUnread()
    {
        var unread = _values.Keys.Where(k => !_read.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unread.Count > 0)
        {
            throw Invalid(
                TwilioErrorCodes.InvalidParameter,
                $"Unsupported parameter{(unread.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unread)} (not implemented by this platform)");
        }
    }

    public static TwilioException Invalid(int code, string message) => new(TwilioError.BadRequest(code, message));
}
