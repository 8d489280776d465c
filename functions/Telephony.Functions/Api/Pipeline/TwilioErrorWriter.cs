using System.Text.Json;
using Telephony.Core.Errors;

namespace Telephony.Functions.Api.Pipeline;

/// <summary>Writes Twilio's error body <c>{code, message, more_info, status}</c>; reusable by any endpoint or fallback.</summary>
public static class TwilioErrorWriter
{
    public static async Task WriteAsync(HttpContext context, TwilioError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteNumber("code", error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteString("more_info", error.MoreInfo);
        writer.WriteNumber("status", error.Status);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>As an <see cref="IResult"/>, for minimal API handlers and fallbacks.</summary>
    public static IResult Result(TwilioError error) => new TwilioErrorResult(error);

    public static TwilioError NotFound(HttpContext context) =>
        TwilioError.NotFound(context?.Request.Path.Value ?? string.Empty);

    private sealed class TwilioErrorResult(TwilioError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error);
    }
}
