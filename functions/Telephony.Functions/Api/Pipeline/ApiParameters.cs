using Microsoft.AspNetCore.Http.Features;
using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Functions.Api.Pipeline;

/// <summary>Reads Twilio-style request parameters: the query string for GET, the url-encoded form for POST.</summary>
internal static class ApiParameters
{
    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 200,
        KeyLengthLimit = 256,
        ValueLengthLimit = 16 * 1024,
        MultipartBodyLengthLimit = 64 * 1024,
    };

    public static RequestParameters FromQuery(HttpContext context) =>
        new(context.Request.Query.ToDictionary(q => q.Key, q => (IReadOnlyList<string>)q.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.Ordinal));

    public static async Task<RequestParameters> FromFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && request.ContentType is null))
        {
            return RequestParameters.Empty;
        }

        if (!request.HasFormContentType)
        {
            throw new TwilioException(TwilioError.BadRequest(
                TwilioErrorCodes.InvalidParameter, "Request body must be application/x-www-form-urlencoded (Twilio's parameter encoding)."));
        }

        var form = await request.ReadFormAsync(Limits, context.RequestAborted);
        return new(form.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.Ordinal));
    }
}
