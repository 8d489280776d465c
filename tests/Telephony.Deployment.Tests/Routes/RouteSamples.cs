using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Telephony.Deployment.Tests.Routes;

/// <summary>Route templates made concrete: a sample path for a pattern, and whether a pattern matches a path.</summary>
public static class RouteSamples
{
    /// <summary>A function.json route under host.json's routePrefix, as the Functions host exposes it.</summary>
    public static RoutePattern FunctionRoute(string routePrefix, string? route, string functionName)
    {
        var path = string.Join('/', new[] { routePrefix.Trim('/'), (route ?? functionName).Trim('/') }.Where(p => p.Length > 0));
        return RoutePatternFactory.Parse(path);
    }

    /// <summary>True when the pattern is nothing but a catch-all parameter (it forwards every path).</summary>
    public static bool IsCatchAll(RoutePattern pattern) =>
        pattern.PathSegments.Count == 1
        && pattern.PathSegments[0].Parts is [RoutePatternParameterPart { IsCatchAll: true }];

    /// <summary>A path the pattern matches: literals kept, each parameter replaced by a value.</summary>
    public static string SamplePath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "sample/path",
            RoutePatternParameterPart => "sample",
            _ => string.Empty,
        }))));

    public static bool Matches(RoutePattern pattern, string path) =>
        new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary()).TryMatch(new PathString(path), new RouteValueDictionary());
}
