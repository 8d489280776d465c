using System.Text.Json;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Remote;

namespace Telephony.Functions.Tests.Nodes;

/// <summary>The wire form of an instruction request: parameters keep order and repeats; the object form is accepted.</summary>
public sealed class NodeInstructionRequestJsonTests
{
    [Fact]
    public void Parameters_round_trip_as_pairs_with_order_and_repeats_and_no_auth_token()
    {
        var request = RemoteInstructionSource.ToNodeRequest(new FetchRequest
        {
            Url = "next",
            BaseUrl = "https://app.example/voice",
            AuthToken = "secret-token",
            Parameters = [new("CallSid", "CA1"), new("AccountSid", "AC1"), new("Digits", "1"), new("Digits", "2")],
        });

        var json = JsonSerializer.Serialize(request, TwimlJson.Options);
        var back = JsonSerializer.Deserialize<NodeInstructionRequest>(json, TwimlJson.Options)!;

        Assert.DoesNotContain("secret-token", json, StringComparison.Ordinal);
        Assert.Contains("\"parameters\":[[\"CallSid\",\"CA1\"],[\"AccountSid\",\"AC1\"],[\"Digits\",\"1\"],[\"Digits\",\"2\"]]", json, StringComparison.Ordinal);
        Assert.Equal(request.Parameters, back.Parameters);
        Assert.Equal(("AC1", "CA1", InstructionReasons.Action), (back.AccountSid, back.CallSid, back.Reason));
    }

    [Fact]
    public void Object_parameters_are_read_and_malformed_ones_refused()
    {
        var read = JsonSerializer.Deserialize<NodeInstructionRequest>(
            """{"accountSid":"AC1","callSid":"CA1","url":"https://a.example","parameters":{"Digits":"12","Count":3}}""", TwimlJson.Options)!;

        Assert.Equal([new("Digits", "12"), new("Count", "3")], read.Parameters);
        Assert.Equal(InstructionReasons.Initial, read.Reason);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<NodeInstructionRequest>(
            """{"accountSid":"AC1","callSid":"CA1","url":"u","parameters":[["only-a-name"]]}""", TwimlJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<NodeInstructionRequest>(
            """{"accountSid":"AC1","callSid":"CA1","url":"u","parameters":"Digits=1"}""", TwimlJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<NodeInstructionRequest>("""{"url":"u"}""", TwimlJson.Options));
    }
}
