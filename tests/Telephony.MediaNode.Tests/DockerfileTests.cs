using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// There is no container engine here, so the Dockerfile is checked statically: every build-context COPY
/// source exists in the repository, the entry point is the node's build output, and the image runs unprivileged.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepoPaths.Combine("media-node", "Dockerfile"));

    [Fact]
    public void Every_COPY_from_the_build_context_names_a_path_in_the_repository()
    {
        var copies = Instructions("COPY").Where(args => !args[0].StartsWith("--from=", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(copies);
        foreach (var args in copies)
        {
            foreach (var source in args[..^1])
            {
                var path = RepoPaths.Combine(source.TrimEnd('/').Split('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY source '{source}' does not exist in the repository");
            }
        }
    }

    [Fact]
    public void The_publish_step_builds_the_node_project_and_the_entry_point_runs_its_assembly()
    {
        var publish = Assert.Single(Instructions("RUN"), args => args.Contains("publish"));
        var project = publish.Single(a => a.EndsWith(".csproj", StringComparison.Ordinal));
        Assert.True(File.Exists(RepoPaths.Combine(project.Split('/'))), $"{project} does not exist");

        var entry = Assert.Single(Lines, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        var assembly = System.Text.Json.JsonSerializer.Deserialize<string[]>(entry["ENTRYPOINT".Length..])!;
        Assert.Equal("dotnet", assembly[0]);
        Assert.Equal(typeof(MediaNodeApp).Assembly.GetName().Name + ".dll", assembly[1]);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, assembly[1])), $"{assembly[1]} is not in the build output");
    }

    [Fact]
    public void The_runtime_stage_installs_speech_and_decoding_tools_and_drops_root()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM", StringComparison.Ordinal) || !l.Contains("AS runtime", StringComparison.Ordinal)).ToList();

        Assert.Contains(runtime, l => l.Contains("espeak-ng", StringComparison.Ordinal) && l.Contains("ffmpeg", StringComparison.Ordinal));
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("root", user[5..].Trim());
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
    }

    private static IEnumerable<string[]> Instructions(string keyword) => Lines
        .Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal))
        .Select(l => l[(keyword.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
