using BenchmarkDotNet.Running;
using Telephony.Sip.Bench;

// micro:   dotnet run -c Release --project bench/rtp/Telephony.Sip.Bench -- micro [BenchmarkDotNet arguments]
// pacing:  dotnet run -c Release --project bench/rtp/Telephony.Sip.Bench -- pacing [--streams 1000] [--seconds 10] [--realtime 10] [--slots 4] [--spin-ms 1]
if (args.Length > 0 && args[0] == "pacing")
{
    return await PacingLoad.RunAsync(PacingLoadOptions.Parse(args[1..]));
}

if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(PacingLoad).Assembly).Run(args[1..]);
    return 0;
}

Console.Error.WriteLine("usage: Telephony.Sip.Bench micro [BenchmarkDotNet args] | pacing [--streams N] [--seconds S] [--rtp-ports A-B] [--sink-ports C] [--realtime P] [--slots K] [--spin-ms M]");
return 2;
