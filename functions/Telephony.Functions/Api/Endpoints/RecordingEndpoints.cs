using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Paging;
using Telephony.Core.Recordings;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary>
/// <c>Accounts/{AccountSid}/Recordings</c> and <c>Calls/{CallSid}/Recordings</c>: metadata, and the audio as
/// <c>.wav</c> (streamed from Blob storage as stored; also without an extension, as Twilio) or <c>.mp3</c> (ffmpeg).
/// </summary>
internal static class RecordingEndpoints
{
    private static readonly string[] ListQuery = ["CallSid", "DateCreated", "DateCreated<", "DateCreated>", .. OpenApiParameters.Paging];

    public static void MapRecordings(this RouteGroupBuilder account)
    {
        var recordings = account.MapGroup(string.Empty).WithTags("Recordings");
        recordings.MapGet("/Recordings.json", ListAllAsync)
            .WithName("ListRecordings").WithSummary("List recordings, newest first. Query: CallSid, DateCreated, DateCreated<, DateCreated>, PageSize, Page, PageToken.")
            .QueryFields(ListQuery);
        recordings.MapGet("/Recordings/{Sid}.json", FetchAsync).WithName("FetchRecording").WithSummary("Fetch a recording.").Produces<RecordingResource>();
        recordings.MapDelete("/Recordings/{Sid}.json", DeleteOneAsync).WithName("DeleteRecording").WithSummary("Delete a recording and its audio.").Produces(StatusCodes.Status204NoContent);
        recordings.MapGet("/Recordings/{Sid}.wav", WavAsync).WithName("FetchRecordingWav").WithSummary("The audio as WAV (8 kHz).");
        recordings.MapGet("/Recordings/{Sid}", WavAsync).WithName("FetchRecordingMedia").WithSummary("The audio as WAV (Twilio's default without an extension).");
        recordings.MapGet("/Recordings/{Sid}.mp3", Mp3Async).WithName("FetchRecordingMp3").WithSummary("The audio as MP3 (needs ffmpeg; 415 otherwise).");
        recordings.MapGet("/Calls/{CallSid}/Recordings.json", ListForCallAsync)
            .WithName("ListCallRecordings").WithSummary("List a call's recordings. Query: DateCreated, DateCreated<, DateCreated>, PageSize, Page, PageToken.")
            .QueryFields(ListQuery[1..]);
        recordings.MapGet("/Calls/{CallSid}/Recordings/{Sid}.json", FetchForCallAsync).WithName("FetchCallRecording").WithSummary("Fetch a call's recording.").Produces<RecordingResource>();
        recordings.MapDelete("/Calls/{CallSid}/Recordings/{Sid}.json", DeleteForCallAsync)
            .WithName("DeleteCallRecording").WithSummary("Delete a call's recording and its audio.").Produces(StatusCodes.Status204NoContent);
    }

    private static Task<IResult> ListAllAsync(HttpContext context, string accountSid, RecordingStore recordings) =>
        ListAsync(context, accountSid, null, ApiRoutes.Recordings(accountSid), recordings);

    private static Task<IResult> ListForCallAsync(HttpContext context, string accountSid, string callSid, RecordingStore recordings) =>
        ListAsync(context, accountSid, callSid, ApiRoutes.CallSubresource(accountSid, callSid, "Recordings"), recordings);

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, string? callSid, string path, RecordingStore recordings)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, RecordingRecord.SidPrefix);
        var filter = RecordingFilter.Parse(parameters);
        parameters.RejectUnread();
        if (callSid is not null)
        {
            if (!Sid.IsValid(callSid, Sid.CallPrefix))
            {
                throw new TwilioException(TwilioError.NotFound("call"));
            }

            filter = filter.ForCall(callSid);
        }

        var page = await PageReader.ReadAsync(paging, (size, after) => recordings.ListAsync(accountSid, filter, size, after, context.RequestAborted));
        return ListPage.Create(context, "recordings", path, paging, page, r => RecordingResource.Of(r, context.Request));
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, RecordingStore recordings)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        return ApiJson.Ok(RecordingResource.Of(await GetAsync(recordings, accountSid, null, sid, context), context.Request));
    }

    private static async Task<IResult> FetchForCallAsync(HttpContext context, string accountSid, string callSid, string sid, RecordingStore recordings)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        return ApiJson.Ok(RecordingResource.Of(await GetAsync(recordings, accountSid, callSid, sid, context), context.Request));
    }

    private static Task<IResult> DeleteOneAsync(HttpContext context, string accountSid, string sid, RecordingStore recordings) =>
        DeleteForCallAsync(context, accountSid, null, sid, recordings);

    private static async Task<IResult> DeleteForCallAsync(HttpContext context, string accountSid, string? callSid, string sid, RecordingStore recordings)
    {
        await GetAsync(recordings, accountSid, callSid, sid, context);
        return await recordings.DeleteAsync(accountSid, sid, context.RequestAborted) ? Results.NoContent() : throw NotFound();
    }

    private static async Task<IResult> WavAsync(HttpContext context, string accountSid, string sid, RecordingStore recordings)
    {
        var recording = await GetAsync(recordings, accountSid, null, sid, context);
        var audio = await recordings.OpenAudioAsync(recording, context.RequestAborted) ?? throw NotFound();
        context.Response.ContentLength = audio.Length;
        context.Response.RegisterForDisposeAsync(audio);
        return Results.Stream(audio.Content, "audio/x-wav");
    }

    private static async Task<IResult> Mp3Async(HttpContext context, string accountSid, string sid, RecordingStore recordings, IConfiguration configuration)
    {
        var recording = await GetAsync(recordings, accountSid, null, sid, context);
        await using var audio = await recordings.OpenAudioAsync(recording, context.RequestAborted) ?? throw NotFound();
        var mp3 = await RecordingMp3Encoder.EncodeAsync(
            audio.Content, audio.Length, configuration[RecordingMp3Encoder.FfmpegSetting], context.RequestAborted);
        return Results.Bytes(mp3, "audio/mpeg");
    }

    private static async Task<RecordingRecord> GetAsync(RecordingStore recordings, string accountSid, string? callSid, string sid, HttpContext context)
    {
        var recording = await recordings.GetAsync(accountSid, sid, context.RequestAborted);
        return recording is null || (callSid is not null && recording.CallSid != callSid) ? throw NotFound() : recording;
    }

    private static TwilioException NotFound() => new(TwilioError.NotFound("recording"));
}
