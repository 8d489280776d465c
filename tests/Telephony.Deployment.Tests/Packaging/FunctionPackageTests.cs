using System.IO.Compression;
using System.Text.Json;
using Telephony.Testing;

namespace Telephony.Deployment.Tests.Packaging;

/// <summary>
/// The zip scripts/package-functions.sh makes has the layout the Functions host reads: host.json at
/// the root, one folder per function with its function.json, and the self-contained handler with its
/// executable bit in the entry's Unix mode.
/// </summary>
[Collection(FunctionPackageCollection.Name)]
public sealed class FunctionPackageTests(PackagedApp package)
{
    private const int UnixRegularFile = 0x8000; // S_IFREG
    private const int UnixFileTypeMask = 0xF000; // S_IFMT
    private const int OwnerExecute = 0x40; // S_IXUSR

    [Fact]
    public void Host_json_and_every_function_json_are_at_the_places_the_host_reads_them()
    {
        using var zip = ZipFile.OpenRead(package.ZipPath);
        var entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

        Assert.Equal(File.ReadAllText(RepoPaths.Combine("host.json")), Read(entries["host.json"]));

        var repositoryFunctions = Directory.EnumerateDirectories(RepoPaths.Combine("functions"))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(repositoryFunctions);
        foreach (var name in repositoryFunctions)
        {
            Assert.True(entries.TryGetValue($"{name}/function.json", out var entry), $"{name}/function.json is missing from the package");
            Assert.Equal(File.ReadAllText(RepoPaths.Combine("functions", name, "function.json")), Read(entry));
        }

        // Nothing else looks like a function to the host (no nested functions/ folder, no strays).
        var packagedFunctions = entries.Keys
            .Where(k => k.EndsWith("/function.json", StringComparison.Ordinal))
            .Select(k => k[..^"/function.json".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(repositoryFunctions, packagedFunctions);
    }

    [Fact]
    public void The_handler_is_a_self_contained_linux_executable_with_its_executable_bit_kept()
    {
        using var zip = ZipFile.OpenRead(package.ZipPath);
        var handler = zip.GetEntry(package.Host.DefaultExecutablePath);
        Assert.NotNull(handler);

        var mode = handler.ExternalAttributes >> 16;
        Assert.Equal(UnixRegularFile, mode & UnixFileTypeMask);
        Assert.NotEqual(0, mode & OwnerExecute);

        using (var stream = handler.Open())
        {
            var magic = new byte[4];
            stream.ReadExactly(magic);
            Assert.Equal("\u007fELF"u8.ToArray(), magic);
        }

        // A self-contained app lists its bundled frameworks under includedFrameworks, not frameworks.
        var runtimeConfig = zip.GetEntry(package.Host.DefaultExecutablePath + ".runtimeconfig.json");
        Assert.NotNull(runtimeConfig);
        using var config = JsonDocument.Parse(Read(runtimeConfig));
        var options = config.RootElement.GetProperty("runtimeOptions");
        Assert.True(options.TryGetProperty("includedFrameworks", out _), "the handler is not published self-contained");
        Assert.False(options.TryGetProperty("frameworks", out _));

        // Unzipping keeps the bit, so the host can start it.
        var unpacked = Path.Combine(package.AppDirectory, package.Host.DefaultExecutablePath);
        Assert.True((File.GetUnixFileMode(unpacked) & UnixFileMode.UserExecute) != 0);
    }

    [Fact]
    public void Host_json_starts_the_handler_on_the_port_the_host_hands_it_and_forwards_http_requests()
    {
        Assert.True(package.Host.EnableForwardingHttpRequest);
        Assert.Contains(package.Host.Arguments, a => a.Contains($"%{HostJson.PortVariable}%", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(package.AppDirectory, package.Host.WorkingDirectory, package.Host.DefaultExecutablePath)));
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
