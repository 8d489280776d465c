using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telephony.Hosting.Logging;

namespace Telephony.Functions.Tests.Hosting;

public class FrameworkLogDefaultsTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware")]
    [InlineData("System.Net.Http.HttpClient.functions.ClientHandler")]
    public void Per_request_framework_lines_are_off_at_Information_and_warnings_still_log(string category)
    {
        using var app = Build([]);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void The_platforms_own_categories_keep_the_configured_level()
    {
        using var app = Build(["--Logging:LogLevel:Default=Information"]);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Telephony.MediaNode.Inbound.InboundCallRunner");

        Assert.True(logger.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void A_configured_level_for_a_framework_category_wins()
    {
        using var app = Build(["--Logging:LogLevel:Microsoft.AspNetCore=Debug", "--Logging:LogLevel:System.Net.Http.HttpClient=Information"]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Debug));
        Assert.True(loggers.CreateLogger("System.Net.Http.HttpClient.functions.LogicalHandler").IsEnabled(LogLevel.Information));
    }

    private static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddFrameworkLogDefaults();
        return builder.Build();
    }
}
