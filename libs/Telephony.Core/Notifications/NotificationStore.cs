using System.Text;
using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Storage;

namespace Telephony.Core.Notifications;

/// <summary>
/// Notifications in table <c>notifications</c>: partition = account, RowKey = time-ordered NO sid, so the list is newest
/// first and one range of the account's partition; the call-scoped list filters that range by <c>CallSid</c>.
/// </summary>
public sealed class NotificationStore
{
    private const string RangeEnd = "NP";
    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly TimeProvider _time;

    public NotificationStore(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Notifications);
        _ready = new TableReady(_table);
        _time = time;
    }

    /// <summary>Stores an error (or warning) about <paramref name="callSid"/>'s call; returns the stored notification.</summary>
    public async Task<NotificationRecord> AddAsync(
        string accountSid, string? callSid, int errorCode, int log, string messageText, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || (callSid is not null && !Sid.IsValid(callSid, Sid.CallPrefix)))
        {
            throw new ArgumentException("accountSid and callSid must be AC and CA sids");
        }

        var now = _time.GetUtcNow();
        var record = new NotificationRecord
        {
            Sid = Sid.NewTimeOrdered(NotificationRecord.SidPrefix, now),
            AccountSid = accountSid,
            CallSid = callSid,
            ErrorCode = errorCode,
            Log = log,
            MessageText = messageText,
            MessageDate = now,
            DateCreated = now,
        };
        await _ready.EnsureAsync(cancellationToken);
        await _table.AddEntityAsync(ToEntity(record), cancellationToken);
        return record;
    }

    public async Task<NotificationRecord?> GetAsync(string accountSid, string sid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(sid, NotificationRecord.SidPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, sid, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The account's notifications, newest first, after <paramref name="afterSid"/>.</summary>
    public async Task<Page<NotificationRecord>> ListAsync(
        string accountSid, NotificationFilter filter, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _ready.EnsureAsync(cancellationToken);
        var query = new StringBuilder(TableClient.CreateQueryFilter($"PartitionKey eq {accountSid}"));
        query.Append(afterSid is null
            ? TableClient.CreateQueryFilter($" and RowKey ge {NotificationRecord.SidPrefix}")
            : TableClient.CreateQueryFilter($" and RowKey gt {afterSid}"));
        query.Append(TableClient.CreateQueryFilter($" and RowKey lt {RangeEnd}"));
        if (filter.CallSid is { } call)
        {
            query.Append(TableClient.CreateQueryFilter($" and CallSid eq {call}"));
        }

        if (filter.Log is { } log)
        {
            query.Append(TableClient.CreateQueryFilter($" and Log eq {log}"));
        }

        if (filter.Before is { } before)
        {
            query.Append(TableClient.CreateQueryFilter($" and RowKey ge {Sid.TimeOrderedLowerBound(NotificationRecord.SidPrefix, before)}"));
            query.Append(TableClient.CreateQueryFilter($" and MessageDate lt {before}"));
        }

        if (filter.AtOrAfter is { } after)
        {
            query.Append(TableClient.CreateQueryFilter($" and MessageDate ge {after}"));
        }

        return await TablePaging.ReadPageAsync(_table, query.ToString(), pageSize, FromEntity, cancellationToken);
    }

    private static TableEntity ToEntity(NotificationRecord n) => new(n.AccountSid, n.Sid)
    {
        ["CallSid"] = n.CallSid,
        ["ErrorCode"] = n.ErrorCode,
        ["Log"] = n.Log,
        ["MessageText"] = n.MessageText,
        ["MessageDate"] = n.MessageDate,
        ["DateCreated"] = n.DateCreated,
        ["RequestUrl"] = n.RequestUrl,
        ["RequestMethod"] = n.RequestMethod,
    };

    private static NotificationRecord FromEntity(TableEntity e) => new()
    {
        Sid = e.RowKey,
        AccountSid = e.PartitionKey,
        CallSid = e.GetString("CallSid"),
        ErrorCode = e.GetInt32("ErrorCode") ?? 0,
        Log = e.GetInt32("Log") ?? NotificationRecord.Error,
        MessageText = e.GetString("MessageText") ?? string.Empty,
        MessageDate = e.GetDateTimeOffset("MessageDate") ?? default,
        DateCreated = e.GetDateTimeOffset("DateCreated") ?? default,
        RequestUrl = e.GetString("RequestUrl") ?? string.Empty,
        RequestMethod = e.GetString("RequestMethod") ?? string.Empty,
    };
}
