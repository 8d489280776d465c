namespace Telephony.Deployment.Tests.Routes;

/// <summary>
/// Every function.json has a handler route and every handler route a function.json: queue and timer
/// functions against the program's FunctionRegistry and its POST /{name} invocation endpoints; HTTP
/// functions' routes (under host.json's routePrefix) against the endpoints the program maps.
/// </summary>
public sealed class FunctionRouteTests(HandlerRoutes handler) : IClassFixture<HandlerRoutes>
{
    // The handler's own liveness probe (run.sh, local tooling); not a function, so not exposed by the host.
    private static readonly string[] HandlerOnlyPaths = ["/healthz"];

    private readonly IReadOnlyList<FunctionDefinition> _definitions = FunctionDefinition.LoadAll();
    private readonly string _routePrefix = FunctionDefinition.RoutePrefix();

    [Fact]
    public void Every_function_json_has_a_trigger_the_handler_implements()
    {
        Assert.NotEmpty(_definitions);
        Assert.All(_definitions, d => Assert.True(d.IsHttp || d.RegistryKind is not null, $"functions/{d.Name}: trigger '{d.TriggerType}' has no handler side"));
    }

    [Fact]
    public void Every_queue_and_timer_function_json_has_a_registered_handler_and_an_invocation_route()
    {
        foreach (var definition in _definitions.Where(d => d.RegistryKind is not null))
        {
            var registered = handler.Functions.SingleOrDefault(f => f.Name == definition.Name);
            Assert.True(registered is not null, $"functions/{definition.Name}/function.json has no registered handler (TelephonyFunctions)");
            Assert.Equal(definition.RegistryKind, registered.Kind);
            Assert.True(
                handler.Endpoints.Any(e => e.Accepts("POST") && RouteSamples.Matches(e.Pattern, "/" + definition.Name)),
                $"no POST /{definition.Name} invocation endpoint");
        }
    }

    [Fact]
    public void Every_registered_function_has_a_function_json_with_its_trigger()
    {
        Assert.NotEmpty(handler.Functions);
        foreach (var registered in handler.Functions)
        {
            var definition = _definitions.SingleOrDefault(d => d.Name == registered.Name);
            Assert.True(definition is not null, $"'{registered.Name}' is registered but functions/{registered.Name}/function.json does not exist");
            Assert.Equal(registered.Kind, definition.RegistryKind);
        }
    }

    [Fact]
    public void Every_http_function_route_reaches_handler_endpoints()
    {
        var http = _definitions.Where(d => d.IsHttp).ToList();
        Assert.NotEmpty(http);
        foreach (var definition in http)
        {
            var route = RouteSamples.FunctionRoute(_routePrefix, definition.Route, definition.Name);
            var served = RouteSamples.IsCatchAll(route)
                ? ApiEndpoints().Any(e => AllowedBy(definition, e))
                : ApiEndpoints().Any(e => RouteSamples.Matches(e.Pattern, RouteSamples.SamplePath(route)) && AllowedBy(definition, e));
            Assert.True(served, $"functions/{definition.Name} (route '{route.RawText}') reaches no handler endpoint");
        }
    }

    [Fact]
    public void Every_handler_http_endpoint_is_reachable_through_an_http_function()
    {
        var routes = _definitions.Where(d => d.IsHttp)
            .Select(d => (Definition: d, Route: RouteSamples.FunctionRoute(_routePrefix, d.Route, d.Name)))
            .ToList();
        var endpoints = ApiEndpoints().ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var path = RouteSamples.SamplePath(endpoint.Pattern);
            Assert.True(
                routes.Any(r => RouteSamples.Matches(r.Route, path) && AllowedBy(r.Definition, endpoint)),
                $"handler endpoint {string.Join(',', endpoint.Methods)} {endpoint.Text} is not reachable through any HTTP function.json");
        }
    }

    // Endpoints other than the queue/timer invocation endpoints and the handler-only probe.
    private IEnumerable<HandlerEndpoint> ApiEndpoints() =>
        handler.Endpoints.Where(e =>
        {
            var path = RouteSamples.SamplePath(e.Pattern);
            return !HandlerOnlyPaths.Contains(path, StringComparer.Ordinal)
                && !handler.Functions.Any(f => string.Equals(path, "/" + f.Name, StringComparison.Ordinal));
        });

    private static bool AllowedBy(FunctionDefinition definition, HandlerEndpoint endpoint) =>
        definition.Methods.Count == 0 || endpoint.Methods.Count == 0 || endpoint.Methods.Any(m => definition.Methods.Contains(m, StringComparer.OrdinalIgnoreCase));
}
