using Telephony.Cli;

// `telephony <verb> …`: each verb lives in its own folder; this file only dispatches.
return await CommandLine.RunAsync(args, Console.Out, Console.Error);
