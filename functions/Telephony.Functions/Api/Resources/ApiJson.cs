using System.Text.Json;

namespace Telephony.Functions.Api.Resources;

/// <summary>Twilio's JSON conventions: snake_case names, nulls written out.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IResult Ok(object resource) => Results.Json(resource, Options, statusCode: StatusCodes.Status200OK);

    public static IResult Created(object resource) => Results.Json(resource, Options, statusCode: StatusCodes.Status201Created);
}
