using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Functions.Hosting;
using Telephony.Functions.Hosting.Local;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Hosting;

public class HostModeTests
{
    [Theory]
    [InlineData(null, null, "Local")]
    [InlineData(null, "51234", "FunctionsHost")]
    [InlineData("ApiOnly", "51234", "ApiOnly")]
    [InlineData("local", null, "Local")]
    [InlineData(" functionshost ", null, "FunctionsHost")]
    public void Mode_comes_from_the_setting_else_from_the_custom_handler_port(string? setting, string? port, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [HostModes.ConfigurationKey] = setting,
            [HostModes.CustomHandlerPortVariable] = port,
        }).Build();

        Assert.Equal(expected, HostModes.Resolve(configuration).ToString());
    }

    [Theory]
    [InlineData("Cloud")]
    [InlineData("3")]
    public void An_unknown_mode_is_a_clear_startup_error(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [HostModes.ConfigurationKey] = setting }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => HostModes.Resolve(configuration));
        Assert.Contains("Local, FunctionsHost or ApiOnly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiOnly_serves_http_without_pollers_timers_or_azurite()
    {
        using var factory = new FunctionsAppFactory(new Dictionary<string, string?>
        {
            ["Telephony:HostMode"] = "ApiOnly",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Telephony:FunctionApp:HostJson"] = RepoPaths.Combine("host.json"),
        });
        using var client = factory.CreateClient();

        using var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Null(factory.Services.GetService<LocalTriggerHost>());
        Assert.Null(factory.Services.GetService<AzuriteProcess>());
    }
}
