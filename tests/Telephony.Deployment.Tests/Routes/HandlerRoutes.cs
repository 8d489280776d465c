using System.Collections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Telephony.Deployment.Tests.Routes;

/// <summary>A registered queue or timer function of the handler: its name and trigger kind.</summary>
public sealed record RegisteredFunction(string Name, string Kind);

/// <summary>One route the handler serves, with the HTTP methods it accepts (empty: any).</summary>
public sealed record HandlerEndpoint(RoutePattern Pattern, IReadOnlyList<string> Methods)
{
    public string Text => Pattern.RawText ?? string.Join('/', Pattern.PathSegments);

    public bool Accepts(string method) => Methods.Count == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The functions program's routes and function registry, read from the real program (API-only mode,
/// nothing started but the host): every endpoint it maps, and the FunctionRegistry it invokes by name.
/// </summary>
public sealed class HandlerRoutes : IDisposable
{
    // The registry is internal to the program; these are its documented shapes (Hosting/Registration).
    private const string RegistryTypeName = "Telephony.Functions.Hosting.FunctionRegistry";

    private readonly WebApplicationFactory<Program> _factory;

    public HandlerRoutes()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("Telephony:HostMode", "ApiOnly")
            .UseSetting("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        Endpoints = _factory.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => new HandlerEndpoint(e.RoutePattern, e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? []))
            .ToList();
        Functions = ReadRegistry(_factory.Services);
    }

    public IReadOnlyList<HandlerEndpoint> Endpoints { get; }

    public IReadOnlyList<RegisteredFunction> Functions { get; }

    public void Dispose() => _factory.Dispose();

    private static List<RegisteredFunction> ReadRegistry(IServiceProvider services)
    {
        var registryType = typeof(Program).Assembly.GetType(RegistryTypeName, throwOnError: true)!;
        var registry = services.GetRequiredService(registryType);
        var all = (IEnumerable)registryType.GetProperty("All")!.GetValue(registry)!;
        var functions = new List<RegisteredFunction>();
        foreach (var registration in all)
        {
            var type = registration.GetType();
            functions.Add(new RegisteredFunction(
                (string)type.GetProperty("Name")!.GetValue(registration)!,
                type.GetProperty("Kind")!.GetValue(registration)!.ToString()!));
        }

        return functions;
    }
}
