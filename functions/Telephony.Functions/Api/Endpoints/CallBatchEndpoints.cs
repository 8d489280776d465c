using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Telephony.Core.Batches;
using Telephony.Core.Errors;
using Telephony.Core.Paging;
using Telephony.Functions.Api.OpenApi;
using Telephony.Functions.Api.Pipeline;
using Telephony.Functions.Api.Resources;

namespace Telephony.Functions.Api.Endpoints;

/// <summary><c>/v1/Accounts/{AccountSid}/CallBatches</c>: thin HTTP mapping over <see cref="CallBatchService"/>.</summary>
internal static class CallBatchEndpoints
{
    public static void MapCallBatches(this WebApplication app)
    {
        var batches = app.MapGroup("/v1/Accounts/{AccountSid}/CallBatches").RequireAccountOwner().WithTags("CallBatches");
        batches.MapPost(string.Empty, CreateAsync)
            .WithName("CreateCallBatch")
            .WithSummary("Create up to 100,000 calls from a CSV or JSON body, paced by the account's calls per second.")
            .WithDescription("Body: text/csv with a header line of Calls.json parameter names (To, From, Url or Twiml, StatusCallback, "
                + "StatusCallbackEvent, Timeout, …) and one call per line; or application/json, an array of objects with those names. "
                + "Valid rows become queued calls carrying batch_sid; invalid rows are refused and listed under errors with their row "
                + "and line (at most 100 listed; rejected_count has them all). No valid row: 400. MachineDetection is refused.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                        ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } } },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces(StatusCodes.Status201Created);
        batches.MapGet(string.Empty, ListAsync)
            .WithName("ListCallBatches").WithSummary("The account's call batches, newest first.").QueryFields(OpenApiParameters.Paging);
        batches.MapGet("/{Sid}", FetchAsync)
            .WithName("FetchCallBatch").WithSummary("A call batch with its calls counted by status and the ETA of its last queued call.");
        batches.MapPost("/{Sid}", CancelAsync)
            .WithName("CancelCallBatch")
            .WithSummary("Cancel a call batch (Status=canceled): its queued calls are canceled; ringing and answered calls go on.")
            .FormFields(["Status"]);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string accountSid, CallBatchService batches, TimeProvider time)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        var rows = await OpenRowsAsync(context);
        var result = await batches.CreateAsync(accountSid, rows, context.RequestAborted);
        var errors = result.Errors.Select(CallBatchResource.Error).ToList();
        if (result.Batch is not { } batch)
        {
            var error = TwilioError.BadRequest(
                TwilioErrorCodes.InvalidParameter, $"No row of the batch is a valid call; {result.RejectedCount} rows were refused (see errors).");
            return Results.Json(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["code"] = error.Code,
                    ["message"] = error.Message,
                    ["more_info"] = error.MoreInfo,
                    ["status"] = error.Status,
                    ["errors"] = errors,
                },
                ApiJson.Options,
                statusCode: StatusCodes.Status400BadRequest);
        }

        var resource = CallBatchResource.Of(batch, time.GetUtcNow());
        resource["errors"] = errors;
        return ApiJson.Created(resource);
    }

    private static async Task<IAsyncEnumerable<BatchRow>> OpenRowsAsync(HttpContext context)
    {
        var type = context.Request.ContentType ?? string.Empty;
        if (type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            // The reader lives as long as the request; detectEncodingFromByteOrderMarks drops a UTF-8 BOM.
            var reader = new StreamReader(context.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
            context.Response.RegisterForDispose(reader);
            return await CsvBatchRows.OpenAsync(reader, context.RequestAborted);
        }

        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return JsonBatchRows.ReadAsync(context.Request.Body, context.RequestAborted);
        }

        throw new TwilioException(new TwilioError(
            20415, "A call batch body must be text/csv (a header line, then one call per line) or application/json (an array of objects).", 415));
    }

    private static async Task<IResult> ListAsync(HttpContext context, string accountSid, CallBatchService batches, TimeProvider time)
    {
        var parameters = ApiParameters.FromQuery(context);
        var paging = PagingRequest.Parse(parameters, CallBatchRecord.SidPrefix);
        parameters.RejectUnread();
        var page = await batches.ListAsync(accountSid, paging, context.RequestAborted);
        var now = time.GetUtcNow();
        var path = ApiRoutes.CallBatches(accountSid);
        string Link(int number, string? after) =>
            FormattableString.Invariant($"{path}?PageSize={paging.PageSize}&Page={number}")
            + (after is null ? string.Empty : "&PageToken=" + Uri.EscapeDataString(PagingRequest.TokenAfter(after)));
        return ApiJson.Ok(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["call_batches"] = page.Items.Select(b => CallBatchResource.Of(b, now)).ToList(),
            ["meta"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["page"] = paging.Page,
                ["page_size"] = paging.PageSize,
                ["first_page_url"] = Link(0, null),
                ["previous_page_url"] = paging.Page == 1 ? Link(0, null) : null,
                ["url"] = Link(paging.Page, paging.AfterSid),
                ["next_page_url"] = page.NextToken is { } next ? Link(paging.Page + 1, next) : null,
                ["key"] = "call_batches",
            },
        });
    }

    private static async Task<IResult> FetchAsync(HttpContext context, string accountSid, string sid, CallBatchService batches, TimeProvider time)
    {
        ApiParameters.FromQuery(context).RejectUnread();
        return ApiJson.Ok(CallBatchResource.Of(await batches.GetAsync(accountSid, sid, context.RequestAborted), time.GetUtcNow()));
    }

    private static async Task<IResult> CancelAsync(HttpContext context, string accountSid, string sid, CallBatchService batches, TimeProvider time)
    {
        var batch = await batches.CancelAsync(accountSid, sid, await ApiParameters.FromFormAsync(context), context.RequestAborted);
        return ApiJson.Ok(CallBatchResource.Of(batch, time.GetUtcNow()));
    }
}
