using Telephony.Core.Numbers;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>An operator inventory entry (admin API): the number and, when held, the account and IncomingPhoneNumber holding it.</summary>
internal sealed record InventoryNumberResource(string PhoneNumber, string DateAdded, string? AccountSid, string? PhoneNumberSid, string Status)
{
    public static InventoryNumberResource Of(InventoryNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return new(number.PhoneNumber, Rfc2822.Format(number.DateAdded), number.AccountSid, number.PhoneNumberSid, number.AccountSid is null ? "available" : "in-use");
    }
}
