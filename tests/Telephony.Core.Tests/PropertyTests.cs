using FsCheck.Xunit;
using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Paging;

namespace Telephony.Core.Tests;

/// <summary>Generated inputs: orderings that storage relies on, and parsers that must refuse any bad input with a Twilio error.</summary>
public sealed class PropertyTests
{
    private static readonly string[] CallParameterNames =
    [
        "To", "From", "Url", "Twiml", "Method", "FallbackUrl", "FallbackMethod", "StatusCallback", "StatusCallbackMethod",
        "StatusCallbackEvent", "Timeout", "SendDigits", "TimeLimit", "Record", "RecordingChannels", "RecordingTrack", "Trim",
        "Status", "StartTime", "StartTime<", "StartTime>", "PageSize", "Page", "PageToken", "MachineDetection",
    ];

    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 300)]
    public bool Later_calls_sort_before_earlier_ones(uint earlierSeconds, uint gapMilliseconds)
    {
        var earlier = Epoch.AddSeconds(earlierSeconds % 400_000_000);
        var later = earlier.AddMilliseconds(1 + (gapMilliseconds % 1_000_000_000));
        return string.CompareOrdinal(Sid.NewTimeOrdered(Sid.CallPrefix, later), Sid.NewTimeOrdered(Sid.CallPrefix, earlier)) < 0;
    }

    [Property(MaxTest = 1000)]
    public bool Any_parameters_either_parse_or_fail_with_a_Twilio_400((byte Name, string? Value)[] pairs)
    {
        var parameters = Parameters.Of(pairs.Select(p => (CallParameterNames[p.Name % CallParameterNames.Length], p.Value ?? string.Empty)).ToArray());
        return RefusesOnlyWithTwilio400(() => CallCreateParser.Parse(parameters, "AC0123456789abcdef0123456789abcdef", Epoch))
            && RefusesOnlyWithTwilio400(() => CallUpdate.Parse(Parameters.Of(pairs.Select(p => (CallParameterNames[p.Name % CallParameterNames.Length], p.Value ?? string.Empty)).ToArray())))
            && RefusesOnlyWithTwilio400(() =>
            {
                var list = Parameters.Of(pairs.Select(p => (CallParameterNames[p.Name % CallParameterNames.Length], p.Value ?? string.Empty)).ToArray());
                PagingRequest.Parse(list, Sid.CallPrefix);
                CallListQuery.Parse(list);
                list.RejectUnread();
            });
    }

    private static bool RefusesOnlyWithTwilio400(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (TwilioException e)
        {
            return e.Error.Status == 400 && !string.IsNullOrEmpty(e.Error.Message);
        }
    }
}
