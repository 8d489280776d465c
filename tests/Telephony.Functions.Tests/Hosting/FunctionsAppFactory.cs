using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>
/// The functions program under test, configured through settings (host mode, storage, function app
/// paths) and extra services (test functions, a FakeTimeProvider). With <c>kestrel: true</c> it
/// listens on a kernel-chosen loopback port (<c>urls=http://127.0.0.1:0</c>), which local host mode
/// needs because it invokes functions over HTTP. (UseKestrel(port) is avoided: with a top-level
/// Program the factory sets that port racing the program's own start.)
/// Reusable by any functions test: <c>new FunctionsAppFactory(settings, s => s.AddQueueFunction&lt;T&gt;("x"))</c>.
/// </summary>
public sealed class FunctionsAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public FunctionsAppFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null, bool kestrel = false)
    {
        _settings = new Dictionary<string, string?>(settings);
        _services = services;
        if (kestrel)
        {
            _settings.TryAdd("urls", "http://127.0.0.1:0");
            UseKestrel();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => _services?.Invoke(services));
    }
}
