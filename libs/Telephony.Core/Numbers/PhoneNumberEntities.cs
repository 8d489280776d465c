using Azure.Data.Tables;

namespace Telephony.Core.Numbers;

/// <summary>Maps <see cref="PhoneNumberRecord"/> to and from its Table row.</summary>
internal static class PhoneNumberEntities
{
    public static TableEntity ToEntity(PhoneNumberRecord record) => new(record.AccountSid, record.Sid)
    {
        ["PhoneNumber"] = record.PhoneNumber,
        ["FriendlyName"] = record.FriendlyName,
        ["VoiceUrl"] = record.VoiceUrl,
        ["VoiceMethod"] = record.VoiceMethod,
        ["VoiceFallbackUrl"] = record.VoiceFallbackUrl,
        ["VoiceFallbackMethod"] = record.VoiceFallbackMethod,
        ["StatusCallback"] = record.StatusCallback,
        ["StatusCallbackMethod"] = record.StatusCallbackMethod,
        ["VoiceApplicationSid"] = record.VoiceApplicationSid,
        ["DateCreated"] = record.DateCreated,
        ["DateUpdated"] = record.DateUpdated,
    };

    public static PhoneNumberRecord FromEntity(TableEntity entity) => new()
    {
        Sid = entity.RowKey,
        AccountSid = entity.PartitionKey,
        PhoneNumber = entity.GetString("PhoneNumber") ?? string.Empty,
        FriendlyName = entity.GetString("FriendlyName") ?? string.Empty,
        VoiceUrl = entity.GetString("VoiceUrl"),
        VoiceMethod = entity.GetString("VoiceMethod") ?? "POST",
        VoiceFallbackUrl = entity.GetString("VoiceFallbackUrl"),
        VoiceFallbackMethod = entity.GetString("VoiceFallbackMethod") ?? "POST",
        StatusCallback = entity.GetString("StatusCallback"),
        StatusCallbackMethod = entity.GetString("StatusCallbackMethod") ?? "POST",
        VoiceApplicationSid = entity.GetString("VoiceApplicationSid"),
        DateCreated = entity.GetDateTimeOffset("DateCreated") ?? default,
        DateUpdated = entity.GetDateTimeOffset("DateUpdated") ?? default,
    };
}
