using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Telephony.Core.Errors;
using Telephony.Functions.Api.Pipeline;
using Telephony.Media;

namespace Telephony.Functions.Nodes;

/// <summary>Endpoint filters of the node API: the node key, and Twilio-shaped answers for every failure.</summary>
internal static partial class NodeEndpointFilters
{
    /// <summary>Largest node request body: instruction parameters and media requests are a few kilobytes.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Refuses requests without the shared node key (401), or all of them when none is configured (503).</summary>
    public static TBuilder RequireNodeKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var refusal = http.RequestServices.GetRequiredService<NodeKeyVerifier>().Check(http.Request.Headers.Authorization);
            if (refusal is not null)
            {
                LogRefused(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NodeEndpointFilters)), refusal.Status, http.Request.Path);
                return TwilioErrorWriter.Result(refusal);
            }

            return await next(context);
        });

    /// <summary>Turns refusals, malformed bodies, media failures and surprises into Twilio error bodies.</summary>
    public static TBuilder HandleNodeErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = MaxBodyBytes;
            }

            try
            {
                return await next(context);
            }
            catch (TwilioException e)
            {
                return TwilioErrorWriter.Result(e.Error);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TwilioErrorWriter.Result(new TwilioError(TwilioErrorCodes.RequestTooLarge, $"Request body exceeds {MaxBodyBytes} bytes", 413));
            }
            catch (Exception e) when (e is JsonException or BadHttpRequestException or InvalidDataException)
            {
                return TwilioErrorWriter.Result(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "Malformed request body: " + e.Message));
            }
            catch (MediaException e)
            {
                return TwilioErrorWriter.Result(new TwilioError(e.Code, e.Message, MediaStatus(e.Code)));
            }
            catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
            {
                LogUnexpected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NodeEndpointFilters)), e, http.Request.Path);
                return TwilioErrorWriter.Result(new TwilioError(TwilioErrorCodes.InternalError, "Internal error", 500));
            }
        });

    /// <summary>The HTTP status of a media failure: the caller's fault (400), not audio (415), unplayable (422), upstream (502).</summary>
    public static int MediaStatus(int code) => code switch
    {
        MediaErrorCodes.InvalidUrl => 400,
        MediaErrorCodes.InvalidContentType => 415,
        MediaErrorCodes.MediaNotPlayable => 422,
        _ => 502,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node request refused ({Status}) on {Path}")]
    private static partial void LogRefused(ILogger logger, int status, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure serving node request {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, PathString path);
}
