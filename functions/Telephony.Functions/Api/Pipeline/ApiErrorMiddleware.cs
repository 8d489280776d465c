using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Telephony.Core.Errors;
using Telephony.Core.Storage;

namespace Telephony.Functions.Api.Pipeline;

/// <summary>
/// For every <c>/2010-04-01</c> (and <c>/v1/Accounts</c>) request: caps the body size, turns refusals (<see cref="TwilioException"/>),
/// malformed or oversized bodies, storage outages (503) and unexpected failures into Twilio-shaped errors, and gives
/// routing's bare 405 a Twilio body. Nothing a client sends can crash the process.
/// </summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, IOptions<ApiOptions> options, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(ApiRoutes.Version, StringComparison.Ordinal)
            && !context.Request.Path.StartsWithSegments("/v1/Accounts", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        // Call batches stream up to 100,000 rows: their own, larger cap; every other request keeps the small one.
        var limit = IsBatchCreate(context.Request) ? options.Value.MaxBatchBodyBytes : options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await TwilioErrorWriter.WriteAsync(context, TooLarge(limit));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        try
        {
            await next(context);
            if (!context.Response.HasStarted)
            {
                // Routing's bare answers: no route (404) or a route for other methods (405).
                if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
                {
                    await TwilioErrorWriter.WriteAsync(context, new TwilioError(
                        TwilioErrorCodes.MethodNotAllowed, $"Method {context.Request.Method} not allowed on {context.Request.Path}", 405));
                }
                else if (context.Response.StatusCode == StatusCodes.Status404NotFound && context.GetEndpoint() is null)
                {
                    await TwilioErrorWriter.WriteAsync(context, TwilioErrorWriter.NotFound(context));
                }
            }
        }
        catch (TwilioException e) when (!context.Response.HasStarted)
        {
            var error = e.Error.Code == TwilioErrorCodes.NotFound ? TwilioErrorWriter.NotFound(context) : e.Error;
            await TwilioErrorWriter.WriteAsync(context, error);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await TwilioErrorWriter.WriteAsync(context, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(limit)
                : TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "Malformed request: " + e.Message));
        }
        catch (InvalidDataException e) when (!context.Response.HasStarted)
        {
            // The form reader's limits (value count, key/value length).
            await TwilioErrorWriter.WriteAsync(context, TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "Malformed form body: " + e.Message));
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && StorageFaults.IsUnavailable(e))
        {
            // Storage is down or restarting: a retryable 503 (Twilio's 20503), not a 500.
            LogStorageUnavailable(logger, context.Request.Method, context.Request.Path, e.Message);
            context.Response.Headers.RetryAfter = "1";
            await TwilioErrorWriter.WriteAsync(context, new TwilioError(
                TwilioErrorCodes.ServiceUnavailable, "Service unavailable: storage is not reachable; retry with exponential back-off", 503));
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
            await TwilioErrorWriter.WriteAsync(context, new TwilioError(TwilioErrorCodes.InternalError, "Internal error", 500));
        }
    }

    private static bool IsBatchCreate(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.Path.StartsWithSegments("/v1/Accounts", StringComparison.Ordinal, out var rest)
        && rest.Value is { } tail
        && tail.Count(c => c == '/') == 2
        && tail.EndsWith("/CallBatches", StringComparison.Ordinal);

    private static TwilioError TooLarge(long limit) =>
        new(TwilioErrorCodes.RequestTooLarge, $"Request body exceeds {limit} bytes", 413);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable serving {Method} {Path}: {Error}")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, PathString path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure serving {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
