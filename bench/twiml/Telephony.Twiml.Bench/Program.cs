using BenchmarkDotNet.Running;
using Telephony.Twiml.Bench;

if (args.Length == 1 && args[0] == "cpu")
{
    await CpuTime.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ParseBenchmarks).Assembly).Run(args);
