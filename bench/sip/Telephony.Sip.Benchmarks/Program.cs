using BenchmarkDotNet.Running;
using Telephony.Sip.Benchmarks;

// `uas [port]` runs the call-rate server for sipp; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "uas")
{
    return await CallRateServer.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
return 0;
