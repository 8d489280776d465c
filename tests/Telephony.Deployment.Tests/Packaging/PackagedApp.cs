using System.IO.Compression;
using Telephony.Deployment.Tests.Support;
using Telephony.Testing;

namespace Telephony.Deployment.Tests.Packaging;

/// <summary>
/// Collection fixture: runs scripts/package-functions.sh once into a temporary folder and unzips the
/// package it made; the handler (with its own Azurite) is started on first use. Everything is deleted afterwards.
/// </summary>
public sealed class PackagedApp : IAsyncLifetime
{
    private static readonly TimeSpan PackageTimeout = TimeSpan.FromMinutes(15);
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("telephony-package-");
    private readonly Lazy<Task<PackagedHandler>> _handler;
    private AzuriteInstance? _azurite;

    public PackagedApp() => _handler = new(StartHandlerAsync);

    public string ZipPath { get; private set; } = string.Empty;

    /// <summary>The zip's contents, extracted the way a deployment unpacks them.</summary>
    public string AppDirectory => Path.Combine(_scratch.FullName, "unzipped");

    public HostJson Host { get; private set; } = null!;

    public AzuriteInstance Azurite => _azurite ?? throw new InvalidOperationException("the handler has not been started");

    public async Task InitializeAsync()
    {
        var output = Path.Combine(_scratch.FullName, "out");
        var result = await ProcessRunner.RunAsync(
            ExternalTool.Require("bash", "bash"),
            [RepoPaths.Combine("scripts", "package-functions.sh"), output],
            PackageTimeout,
            RepoPaths.Root);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/package-functions.sh failed ({result.ExitCode}):{Environment.NewLine}{result.Combined}");
        }

        ZipPath = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        if (!File.Exists(ZipPath))
        {
            throw new InvalidOperationException($"the script printed '{ZipPath}', which is not a file:{Environment.NewLine}{result.Combined}");
        }

        await ZipFile.ExtractToDirectoryAsync(ZipPath, AppDirectory);
        Host = HostJson.Parse(await File.ReadAllTextAsync(Path.Combine(AppDirectory, "host.json")));
    }

    /// <summary>The packaged handler, started once for the collection against a dedicated Azurite.</summary>
    public Task<PackagedHandler> HandlerAsync() => _handler.Value;

    public async Task DisposeAsync()
    {
        if (_handler.IsValueCreated && _handler.Value.IsCompletedSuccessfully)
        {
            await _handler.Value.Result.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _scratch.Delete(recursive: true);
    }

    private async Task<PackagedHandler> StartHandlerAsync()
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        return await PackagedHandler.StartAsync(AppDirectory, Host, _azurite.ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class FunctionPackageCollection : ICollectionFixture<PackagedApp>
{
    public const string Name = "function package";
}
