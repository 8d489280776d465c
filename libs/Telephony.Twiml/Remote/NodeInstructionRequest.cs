using System.Text.Json.Serialization;

namespace Telephony.Twiml.Remote;

/// <summary>
/// The body of <c>POST /node/v1/instructions</c>: which call wants its next document, from where, with which
/// parameters. It carries no auth token: the instructions function signs with the account's token itself.
/// </summary>
public sealed record NodeInstructionRequest
{
    public required string AccountSid { get; init; }

    public required string CallSid { get; init; }

    public required string Url { get; init; }

    public string Method { get; init; } = "POST";

    public string? BaseUrl { get; init; }

    public string? FallbackUrl { get; init; }

    public string? FallbackMethod { get; init; }

    /// <summary>Sent as <c>[[name, value], …]</c> (order and repeats kept); <c>{name: value}</c> is accepted too.</summary>
    [JsonConverter(typeof(ParameterListConverter))]
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Why the node asks: see <see cref="InstructionReasons"/>.</summary>
    public string Reason { get; init; } = InstructionReasons.Initial;
}

/// <summary>The values of <see cref="NodeInstructionRequest.Reason"/>.</summary>
public static class InstructionReasons
{
    public const string Initial = "initial";
    public const string Action = "action";
    public const string Redirect = "redirect";
    public const string Update = "update";

    public static bool IsKnown(string? reason) => reason is Initial or Action or Redirect or Update;
}
