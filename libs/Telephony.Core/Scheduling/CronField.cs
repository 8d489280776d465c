using System.Globalization;

namespace Telephony.Core.Scheduling;

/// <summary>
/// One field of a cron expression as a set of allowed values (a 64-bit mask: every field's range fits).
/// Grammar per comma-separated item: <c>*</c>, <c>n</c>, <c>n-m</c>, optionally followed by <c>/step</c>;
/// values may be names (JAN–DEC, SUN–SAT) where the field has them.
/// </summary>
internal readonly struct CronField
{
    private readonly ulong _mask;

    private CronField(ulong mask, int min, int max)
    {
        _mask = mask;
        Min = min;
        Max = max;
    }

    public int Min { get; }

    public int Max { get; }

    public bool Contains(int value) => value >= 0 && value < 64 && (_mask & (1UL << value)) != 0;

    /// <summary>The smallest allowed value ≥ <paramref name="value"/>, or -1 when there is none.</summary>
    public int NextAtOrAfter(int value)
    {
        for (var v = Math.Max(value, Min); v <= Max; v++)
        {
            if (Contains(v))
            {
                return v;
            }
        }

        return -1;
    }

    public static bool TryParse(ReadOnlySpan<char> text, CronFieldKind kind, out CronField field, out string? error)
    {
        var (min, max) = Range(kind);
        field = default;
        error = null;
        if (text.IsEmpty)
        {
            error = $"the {Describe(kind)} field is empty";
            return false;
        }

        ulong mask = 0;
        foreach (var itemRange in text.Split(','))
        {
            var item = text[itemRange];
            if (!TryParseItem(item, kind, min, max, ref mask, out error))
            {
                return false;
            }
        }

        if (kind == CronFieldKind.DayOfWeek && (mask & (1UL << 7)) != 0)
        {
            // 7 is an alias for Sunday.
            mask = (mask | 1UL) & ~(1UL << 7);
            max = 6;
        }
        else if (kind == CronFieldKind.DayOfWeek)
        {
            max = 6;
        }

        field = new CronField(mask, min, max);
        return true;
    }

    private static bool TryParseItem(ReadOnlySpan<char> item, CronFieldKind kind, int min, int max, ref ulong mask, out string? error)
    {
        error = null;
        if (item.IsEmpty)
        {
            error = $"the {Describe(kind)} field has an empty list item";
            return false;
        }

        var step = 1;
        var slash = item.IndexOf('/');
        var hasStep = slash >= 0;
        if (hasStep)
        {
            var stepText = item[(slash + 1)..];
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step <= 0)
            {
                error = $"'{item}' in the {Describe(kind)} field has an invalid step '{stepText}'";
                return false;
            }

            item = item[..slash];
        }

        int from, to;
        if (item is "*")
        {
            (from, to) = (min, max);
        }
        else
        {
            var dash = item.IndexOf('-');
            if (dash >= 0)
            {
                if (!TryParseValue(item[..dash], kind, min, max, out from, out error)
                    || !TryParseValue(item[(dash + 1)..], kind, min, max, out to, out error))
                {
                    return false;
                }

                if (to < from)
                {
                    error = $"the range '{item}' in the {Describe(kind)} field ends before it starts";
                    return false;
                }
            }
            else
            {
                if (!TryParseValue(item, kind, min, max, out from, out error))
                {
                    return false;
                }

                // "n/step" means from n to the end of the range, as in NCrontab and Vixie cron.
                to = hasStep ? max : from;
            }
        }

        for (var v = from; v <= to; v += step)
        {
            mask |= 1UL << v;
        }

        return true;
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, CronFieldKind kind, int min, int max, out int value, out string? error)
    {
        error = null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            if (value < min || value > max)
            {
                error = $"{value} is outside the {Describe(kind)} range {min}-{max}";
                return false;
            }

            return true;
        }

        var names = kind switch
        {
            CronFieldKind.Month => MonthNames,
            CronFieldKind.DayOfWeek => DayNames,
            _ => null,
        };
        if (names is not null && text.Length == 3)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (text.Equals(names[i], StringComparison.OrdinalIgnoreCase))
                {
                    value = kind == CronFieldKind.Month ? i + 1 : i;
                    return true;
                }
            }
        }

        error = $"'{text}' is not a valid {Describe(kind)} value";
        return false;
    }

    private static (int Min, int Max) Range(CronFieldKind kind) => kind switch
    {
        CronFieldKind.Second or CronFieldKind.Minute => (0, 59),
        CronFieldKind.Hour => (0, 23),
        CronFieldKind.DayOfMonth => (1, 31),
        CronFieldKind.Month => (1, 12),
        CronFieldKind.DayOfWeek => (0, 7),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Describe(CronFieldKind kind) => kind switch
    {
        CronFieldKind.Second => "second",
        CronFieldKind.Minute => "minute",
        CronFieldKind.Hour => "hour",
        CronFieldKind.DayOfMonth => "day-of-month",
        CronFieldKind.Month => "month",
        _ => "day-of-week",
    };

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
}

internal enum CronFieldKind
{
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}
