using Azure.Data.Tables;
using Telephony.Core.Webhooks;

namespace Telephony.Core.Numbers;

/// <summary>Maps <see cref="PhoneNumberRecord"/> to and from its Table row.</summary>
internal static class PhoneNumberEntities
{
    public static TableEntity ToEntity(PhoneNumberRecord record)
    {
        var entity = new TableEntity(record.AccountSid, record.Sid)
        {
            ["PhoneNumber"] = record.PhoneNumber,
            ["FriendlyName"] = record.FriendlyName,
            ["VoiceApplicationSid"] = record.VoiceApplicationSid,
            ["DateCreated"] = record.DateCreated,
            ["DateUpdated"] = record.DateUpdated,
        };
        record.Voice.WriteTo(entity);
        return entity;
    }

    public static PhoneNumberRecord FromEntity(TableEntity entity) => new()
    {
        Sid = entity.RowKey,
        AccountSid = entity.PartitionKey,
        PhoneNumber = entity.GetString("PhoneNumber") ?? string.Empty,
        FriendlyName = entity.GetString("FriendlyName") ?? string.Empty,
        Voice = VoiceWebhooks.ReadFrom(entity),
        VoiceApplicationSid = entity.GetString("VoiceApplicationSid"),
        DateCreated = entity.GetDateTimeOffset("DateCreated") ?? default,
        DateUpdated = entity.GetDateTimeOffset("DateUpdated") ?? default,
    };
}
