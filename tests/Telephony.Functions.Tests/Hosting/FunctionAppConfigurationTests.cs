using Microsoft.Extensions.Configuration;
using Telephony.Functions.Hosting.Configuration;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>host.json and function.json as committed, and clear errors for broken ones.</summary>
public class FunctionAppConfigurationTests
{
    [Fact]
    public void The_repository_host_json_declares_a_forwarding_custom_handler_with_no_route_prefix_and_base64_queues()
    {
        var app = Load(RepoPaths.Combine("host.json"));

        Assert.Equal(string.Empty, app.Host.HttpRoutePrefix);
        Assert.True(app.Host.CustomHandler.EnableForwardingHttpRequest);
        Assert.Equal(["--urls", "http://127.0.0.1:%FUNCTIONS_CUSTOMHANDLER_PORT%"], app.Host.CustomHandler.Arguments);
        Assert.Equal("base64", app.Host.Queues.MessageEncoding);
        Assert.InRange(app.Host.Queues.MaxDequeueCount, 1, 10);
    }

    [Fact]
    public void The_repository_functions_are_a_catch_all_http_api_and_admit_calls_on_call_requests()
    {
        var app = Load(RepoPaths.Combine("host.json"));

        var api = app.Find("api")!;
        Assert.Equal(TriggerKind.Http, api.Trigger.Kind);
        // A catch-all that excludes the queue/timer invocation paths (Deployment tests check the exclusion).
        Assert.StartsWith("{*path:regex(", api.Trigger.Route, StringComparison.Ordinal);
        Assert.Null(api.Trigger.Methods); // no "methods": every method
        var admit = app.Find("admit-calls")!;
        Assert.Equal(TriggerKind.Queue, admit.Trigger.Kind);
        Assert.Equal("call-requests", admit.Trigger.QueueName);
        Assert.Equal("AzureWebJobsStorage", admit.Trigger.Connection);
    }

    [Theory]
    [InlineData("""{ "extensions": { "queues": { "batchSize": 64 } } }""", "batchSize must be 1-32")]
    [InlineData("""{ "extensions": { "queues": { "maxDequeueCount": 0 } } }""", "maxDequeueCount must be at least 1")]
    [InlineData("""{ "extensions": { "queues": { "visibilityTimeout": "soon" } } }""", "'visibilityTimeout' value 'soon'")]
    [InlineData("""{ "extensions": { "queues": { "messageEncoding": "utf7" } } }""", "messageEncoding must be base64 or none")]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""{ "version": """, "host.json")]
    public void A_broken_host_json_names_the_file_and_the_problem(string json, string expected)
    {
        using var app = new TestFunctionApp(json);

        var error = Assert.Throws<InvalidOperationException>(() => Load(app.HostJsonPath));

        Assert.Contains(app.HostJsonPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "bindings": [] }""", "exactly one trigger binding (found 0)")]
    [InlineData("""{ "bindings": [ { "type": "queueTrigger", "name": "m" } ] }""", "no \"queueName\"")]
    [InlineData("""{ "bindings": [ { "type": "timerTrigger", "name": "t" } ] }""", "no \"schedule\"")]
    [InlineData("""{ "bindings": [ { "type": "blobTrigger", "name": "b", "path": "x/{name}" } ] }""", "'blobTrigger' is not supported")]
    [InlineData("""{ "bindings": [ { "type": "queueTrigger", "queueName": "q" } ] }""", "has no \"name\"")]
    [InlineData("""{ }""", "no \"bindings\" array")]
    public void A_broken_function_json_names_the_file_and_the_problem(string json, string expected)
    {
        using var app = new TestFunctionApp(TestFunctionApp.HostJson()).WithFunction("broken", json);

        var error = Assert.Throws<InvalidOperationException>(() => Load(app.HostJsonPath));

        Assert.Contains(Path.Combine("broken", "function.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_names_are_case_insensitive_and_comments_are_allowed_as_in_the_functions_host()
    {
        using var app = new TestFunctionApp("""
            {
              // comments are fine in host.json
              "Extensions": { "Queues": { "BatchSize": 2, "MaxDequeueCount": 7, "VisibilityTimeout": "00:00:03" } },
            }
            """).WithFunction("tick", """{ "Bindings": [ { "Type": "TimerTrigger", "Name": "t", "Schedule": "0 * * * * *", "RunOnStartup": true } ] }""");

        var loaded = Load(app.HostJsonPath);

        Assert.Equal(2, loaded.Host.Queues.BatchSize);
        Assert.Equal(1, loaded.Host.Queues.NewBatchThreshold);
        Assert.Equal(7, loaded.Host.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(3), loaded.Host.Queues.VisibilityTimeout);
        Assert.Equal("api", loaded.Host.HttpRoutePrefix);
        var tick = Assert.Single(loaded.Functions);
        Assert.Equal("0 * * * * *", tick.Trigger.Schedule);
        Assert.True(tick.Trigger.RunOnStartup);
    }

    private static FunctionApp Load(string hostJson) =>
        FunctionApp.Load(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [FunctionApp.HostJsonKey] = hostJson }).Build(),
            Path.GetTempPath());
}
