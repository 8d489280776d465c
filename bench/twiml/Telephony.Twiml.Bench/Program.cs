using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Telephony.Twiml.Bench.ParseBenchmarks).Assembly).Run(args);
