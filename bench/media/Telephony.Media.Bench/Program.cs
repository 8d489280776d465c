using BenchmarkDotNet.Running;
using Telephony.Media.Bench;

// transcode: BenchmarkDotNet (ShortRun) — our 44.1 kHz stereo → 8 kHz μ-law vs ffmpeg, same run.
// filter:    resampler passband and alias figures.
// say:       <Say> first synthesis vs cache hits (memory, disk, Blob on Azurite), p50/p99.
return args.FirstOrDefault() switch
{
    "transcode" => RunTranscode(args[1..]),
    "filter" => FilterReport.Run(Console.Out),
    "say" => await SayCacheReport.RunAsync(Console.Out),
    _ => Usage(),
};

static int RunTranscode(string[] rest)
{
    BenchmarkRunner.Run<TranscodeBenchmarks>(args: rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Telephony.Media.Bench transcode | filter | say");
    return 2;
}
