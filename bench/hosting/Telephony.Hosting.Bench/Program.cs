using BenchmarkDotNet.Running;
using Telephony.Hosting.Bench;

BenchmarkSwitcher.FromAssembly(typeof(ScheduleBenchmarks).Assembly).Run(args);
