using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Telephony.Hosting.Logging;

/// <summary>
/// The framework categories that write lines for every HTTP request at Information — ASP.NET Core's request and
/// endpoint lines (five per request served) and HttpClient's four per request sent — log at Warning unless
/// configuration names them (<c>Logging:LogLevel:Microsoft.AspNetCore</c>, <c>…:System.Net.Http.HttpClient</c>),
/// as ASP.NET Core's own templates do. On a busy node they were most of its log lines and said nothing the
/// platform's own call lines do not (docs/BENCHMARKS-node.md, figure (b)).
/// </summary>
public static class FrameworkLogDefaults
{
    public static readonly IReadOnlyList<string> PerRequestCategories = ["Microsoft.AspNetCore", "System.Net.Http.HttpClient"];

    public static IHostApplicationBuilder AddFrameworkLogDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var category in PerRequestCategories)
        {
            if (string.IsNullOrWhiteSpace(builder.Configuration[$"Logging:LogLevel:{category}"]))
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }

        return builder;
    }
}
