namespace Telephony.Functions.Tests.Hosting;

/// <summary>A throwaway function app folder (host.json + functions/&lt;name&gt;/function.json) for one test.</summary>
public sealed class TestFunctionApp : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "telephony-functions-" + Guid.NewGuid().ToString("N"));

    public TestFunctionApp(string hostJson)
    {
        Directory.CreateDirectory(Path.Combine(_root, "functions"));
        File.WriteAllText(HostJsonPath, hostJson);
    }

    public string HostJsonPath => Path.Combine(_root, "host.json");

    public TestFunctionApp WithFunction(string name, string functionJson)
    {
        var folder = Path.Combine(_root, "functions", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "function.json"), functionJson);
        return this;
    }

    public static string QueueFunctionJson(string queueName) =>
        $$"""{ "bindings": [ { "type": "queueTrigger", "direction": "in", "name": "item", "queueName": "{{queueName}}", "connection": "AzureWebJobsStorage" } ] }""";

    public static string TimerFunctionJson(string schedule) =>
        $$"""{ "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "myTimer", "schedule": "{{schedule}}" } ] }""";

    public static string HostJson(int maxDequeueCount = 5, string visibilityTimeout = "00:00:00", string maxPollingInterval = "00:00:00.5", int batchSize = 4, int newBatchThreshold = 2) =>
        $$"""
        {
          "version": "2.0",
          "customHandler": { "description": { "defaultExecutablePath": "Telephony.Functions" }, "enableForwardingHttpRequest": true },
          "extensions": {
            "http": { "routePrefix": "" },
            "queues": { "batchSize": {{batchSize}}, "newBatchThreshold": {{newBatchThreshold}}, "maxDequeueCount": {{maxDequeueCount}}, "visibilityTimeout": "{{visibilityTimeout}}", "maxPollingInterval": "{{maxPollingInterval}}" }
          }
        }
        """;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
