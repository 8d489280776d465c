using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Telephony.Core.Ids;
using Telephony.Core.Storage;

namespace Telephony.Core.Recordings;

/// <summary>
/// Recordings: metadata in table <c>recordings</c> (partition = account, RowKey = time-ordered sid, so the
/// list is newest first), audio in blob container <c>recordings</c>. The blob is written before the row
/// and removed after it, so a listed recording always has its audio.
/// </summary>
public sealed class RecordingStore
{
    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly BlobContainerClient _container;
    private readonly Lazy<Task> _containerReady;
    private readonly TimeProvider _time;

    public RecordingStore(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Recordings);
        _ready = new TableReady(_table);
        _container = storage.Container(RecordingPaths.Container);
        _containerReady = new(() => _container.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
        _time = time;
    }

    /// <summary>
    /// Stores a finished recording (the node calls this): <paramref name="wav"/> is the 8 kHz WAV file, copied
    /// as is. The returned record's <see cref="RecordingRecord.MediaPath"/> is the tenant's RecordingUrl path.
    /// <paramref name="recordingSid"/> is a sid from <see cref="NewSid"/> when the recording was announced before it
    /// ended (in-progress callback); null makes a new one.
    /// </summary>
    public async Task<RecordingRecord> SaveAsync(
        string accountSid,
        string callSid,
        string source,
        Stream wav,
        TimeSpan duration,
        DateTimeOffset startTime,
        int channels = 1,
        string? recordingSid = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wav);
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(callSid, Sid.CallPrefix))
        {
            throw new ArgumentException("accountSid and callSid must be AC and CA sids");
        }

        var now = _time.GetUtcNow();
        if (recordingSid is not null && !Sid.IsValid(recordingSid, RecordingRecord.SidPrefix))
        {
            throw new ArgumentException("recordingSid must be an RE sid", nameof(recordingSid));
        }

        var sid = recordingSid ?? NewSid();
        await _containerReady.Value.WaitAsync(cancellationToken);
        var blob = _container.GetBlobClient(RecordingPaths.BlobName(accountSid, sid));
        await blob.UploadAsync(wav, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "audio/x-wav" } }, cancellationToken);
        var size = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        var record = new RecordingRecord
        {
            Sid = sid,
            AccountSid = accountSid,
            CallSid = callSid,
            Source = source,
            Channels = channels,
            Duration = (int)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero),
            StartTime = startTime,
            DateCreated = now,
            DateUpdated = now,
            SizeBytes = size,
        };
        try
        {
            await _ready.EnsureAsync(cancellationToken);
            await _table.AddEntityAsync(ToEntity(record), cancellationToken);
        }
        catch
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }

        return record;
    }

    /// <summary>A new time-ordered recording sid (newest first in the list).</summary>
    public string NewSid() => Sid.NewTimeOrdered(RecordingRecord.SidPrefix, _time.GetUtcNow());

    public async Task<RecordingRecord?> GetAsync(string accountSid, string sid, CancellationToken cancellationToken = default)
    {
        if (!Sid.IsValid(accountSid, Sid.AccountPrefix) || !Sid.IsValid(sid, RecordingRecord.SidPrefix))
        {
            return null;
        }

        await _ready.EnsureAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(accountSid, sid, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The account's recordings, newest first, after <paramref name="afterSid"/>.</summary>
    public async Task<Page<RecordingRecord>> ListAsync(
        string accountSid, RecordingFilter filter, int pageSize, string? afterSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _ready.EnsureAsync(cancellationToken);
        var query = new StringBuilder(TableClient.CreateQueryFilter($"PartitionKey eq {accountSid}"));
        query.Append(afterSid is null
            ? TableClient.CreateQueryFilter($" and RowKey ge {RecordingRecord.SidPrefix}")
            : TableClient.CreateQueryFilter($" and RowKey gt {afterSid}"));
        query.Append(TableClient.CreateQueryFilter($" and RowKey lt {"RF"}"));
        if (filter.CallSid is { } call)
        {
            query.Append(TableClient.CreateQueryFilter($" and CallSid eq {call}"));
        }

        if (filter.CreatedBefore is { } before)
        {
            query.Append(TableClient.CreateQueryFilter($" and RowKey ge {Sid.TimeOrderedLowerBound(RecordingRecord.SidPrefix, before)}"));
            query.Append(TableClient.CreateQueryFilter($" and DateCreated lt {before}"));
        }

        if (filter.CreatedAtOrAfter is { } after)
        {
            query.Append(TableClient.CreateQueryFilter($" and DateCreated ge {after}"));
        }

        return await TablePaging.ReadPageAsync(_table, query.ToString(), pageSize, FromEntity, cancellationToken);
    }

    /// <summary>The audio as a stream (read from Blob storage as it is sent), or null when absent.</summary>
    public async Task<RecordingAudio?> OpenAudioAsync(RecordingRecord recording, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        try
        {
            var result = await _container.GetBlobClient(RecordingPaths.BlobName(recording.AccountSid, recording.Sid))
                .DownloadStreamingAsync(cancellationToken: cancellationToken);
            return new RecordingAudio(result.Value.Content, result.Value.Details.ContentLength, result.Value.Details.ContentType ?? "audio/x-wav");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the record, then its audio; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string accountSid, string sid, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(accountSid, sid, cancellationToken) is null)
        {
            return false;
        }

        await _table.DeleteEntityAsync(accountSid, sid, cancellationToken: cancellationToken);
        await _containerReady.Value.WaitAsync(cancellationToken);
        await _container.GetBlobClient(RecordingPaths.BlobName(accountSid, sid)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        return true;
    }

    private static TableEntity ToEntity(RecordingRecord r) => new(r.AccountSid, r.Sid)
    {
        ["CallSid"] = r.CallSid,
        ["Source"] = r.Source,
        ["Status"] = r.Status,
        ["Channels"] = r.Channels,
        ["Duration"] = r.Duration,
        ["StartTime"] = r.StartTime,
        ["DateCreated"] = r.DateCreated,
        ["DateUpdated"] = r.DateUpdated,
        ["SizeBytes"] = r.SizeBytes,
    };

    private static RecordingRecord FromEntity(TableEntity e) => new()
    {
        Sid = e.RowKey,
        AccountSid = e.PartitionKey,
        CallSid = e.GetString("CallSid") ?? string.Empty,
        Source = e.GetString("Source") ?? string.Empty,
        Status = e.GetString("Status") ?? "completed",
        Channels = e.GetInt32("Channels") ?? 1,
        Duration = e.GetInt32("Duration") ?? 0,
        StartTime = e.GetDateTimeOffset("StartTime") ?? default,
        DateCreated = e.GetDateTimeOffset("DateCreated") ?? default,
        DateUpdated = e.GetDateTimeOffset("DateUpdated") ?? default,
        SizeBytes = e.GetInt64("SizeBytes") ?? 0,
    };
}

/// <summary>A recording's audio stream; dispose it when done.</summary>
public sealed record RecordingAudio(Stream Content, long Length, string ContentType) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
