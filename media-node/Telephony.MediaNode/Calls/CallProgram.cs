using Telephony.Core.Calls;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;
using Telephony.Twiml.Parsing;

namespace Telephony.MediaNode.Calls;

/// <summary>What a call runs next: its Url (fetched by the interpreter) or inline Twiml, as the call record says.</summary>
public sealed record CallProgram(CallContext Context, TwimlProgram? Inline)
{
    /// <summary>The program the record names; inline Twiml that does not parse becomes an application error (a Say + hang-up).</summary>
    public static CallProgram From(CallRecord record, string authToken, IReadOnlyList<KeyValuePair<string, string>>? customParameters = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var i = record.Instructions;
        var context = new CallContext
        {
            AccountSid = record.AccountSid,
            CallSid = record.Sid,
            From = record.From,
            To = record.To,
            Direction = record.Direction,
            CallerName = record.CallerName,
            ParentCallSid = record.ParentCallSid,
            AuthToken = authToken,
            Url = i.Url ?? string.Empty,
            Method = i.Method,
            FallbackUrl = i.FallbackUrl,
            FallbackMethod = i.FallbackMethod,
            CustomParameters = customParameters ?? [],
        };
        if (i.Twiml is not { } twiml)
        {
            return new CallProgram(context, null);
        }

        var parsed = TwimlParser.Parse(twiml);
        return new CallProgram(context, parsed.Program ?? ApplicationError);
    }

    // The API validates Twiml at create/update time, so this is only reached for stored data we cannot read.
    private static readonly TwimlProgram ApplicationError =
        TwimlParser.Parse("<Response><Say>We are sorry, an application error has occurred. Goodbye.</Say></Response>").Program!;
}
